'use strict';
/**
 * What-if for the memory benchmark (bench/memory.ts --iteratorFix), preloaded into the emulator
 * children with NODE_OPTIONS: dynalite 4.0.0 closes the LevelDB iterators behind Query and Scan with
 * `iterator.return()`, which classic-level 3 iterators do not have (they have `close()`), so every
 * Query leaves an iterator and its snapshot open and LevelDB can never delete obsolete files. This
 * gives the iterators the `return()` dynalite calls. The same three lines at the top of
 * src/local/emulator-process.cjs (or a patch of dynalite) would be the fix.
 */
if (process.argv.some((arg) => arg.includes('emulator-process'))) {
  const classicLevel = require.resolve('classic-level', { paths: [require('node:path').dirname(require.resolve('dynalite'))] });
  const level = require(require.resolve('abstract-level', { paths: [require('node:path').dirname(classicLevel)] }));
  for (const name of ['AbstractIterator', 'AbstractKeyIterator', 'AbstractValueIterator']) {
    const Iterator = level[name];
    if (Iterator && !Iterator.prototype.return) {
      Iterator.prototype.return = function () {
        return this.close();
      };
    }
  }
}
