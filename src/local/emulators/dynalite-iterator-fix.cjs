'use strict';
/**
 * A fix for a dynalite 4.0.0 bug, applied in the emulator process before dynalite is loaded.
 *
 * dynalite wraps LevelDB iterators in streams for Query and Scan and, when a stream ends, closes its
 * iterator with `iterator.return()`. The iterators of classic-level 3 (abstract-level 3) have no
 * `return()` (they have `close()`), so the call is skipped and every Query leaves its iterator, and
 * the LevelDB snapshot the iterator holds, open. LevelDB can then never delete the files those
 * snapshots pin: the data directory and the emulator's memory grow with every write (13 GB on disk
 * after 1M trips of `npm start`; docs/benchmarks-analysis.md, section 7). Giving the iterators the
 * `return()` dynalite calls closes them.
 *
 * Applied only where `return()` is missing, so a dynalite or abstract-level that fixes this takes
 * over untouched.
 */
const path = require('node:path');

/** abstract-level as dynalite loads it: dynalite -> level -> classic-level -> abstract-level. */
function dynalitesAbstractLevel() {
  const level = require.resolve('level', { paths: [path.dirname(require.resolve('dynalite'))] });
  const classicLevel = require.resolve('classic-level', { paths: [path.dirname(level)] });
  return require(require.resolve('abstract-level', { paths: [path.dirname(classicLevel)] }));
}

/** Returns the names of the iterator classes it patched (empty when nothing needed it). */
function closeDynaliteIteratorsOnReturn() {
  const abstractLevel = dynalitesAbstractLevel();
  const patched = [];
  for (const name of ['AbstractIterator', 'AbstractKeyIterator', 'AbstractValueIterator']) {
    const Iterator = abstractLevel[name];
    if (Iterator && typeof Iterator.prototype.return !== 'function') {
      Iterator.prototype.return = function () {
        return this.close();
      };
      patched.push(name);
    }
  }
  return patched;
}

module.exports = { closeDynaliteIteratorsOnReturn, dynalitesAbstractLevel };
