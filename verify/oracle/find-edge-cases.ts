/**
 * Lists the operations edge cases (edge-cases.ts) of TLC files, by row number and local times:
 *
 *   npx tsx verify/oracle/find-edge-cases.ts data/nyc-tlc/green_tripdata_2023-02.parquet [more files]
 */
import { basename } from 'node:path';
import { findEdgeCases } from './edge-cases';
import { validTrips } from './tlc-oracle';

async function main(files: readonly string[]): Promise<void> {
  if (files.length === 0) throw new Error('usage: find-edge-cases <TLC file>...');
  for (const file of files) {
    const trips = await validTrips(file);
    console.log(`\n${basename(file)}: ${trips.length} valid trips\n`);
    console.log('| case | trips | first rows (row: pickup -> drop-off, local) |');
    console.log('| --- | --- | --- |');
    for (const edge of findEdgeCases(trips)) {
      const examples = edge.examples.map(
        (example) => `${example.row}: ${example.pickup} -> ${example.dropoff}${example.note ? ` (${example.note})` : ''}`,
      );
      console.log(`| ${edge.name} | ${edge.count} | ${examples.join('; ') || 'none'} |`);
    }
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
