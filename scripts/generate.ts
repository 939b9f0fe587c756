// `npm run generate`: writes the parts generated from the rule metadata
// (scripts/catalog.ts): package.json contributes.configuration and
// contributes.jsonValidation, the README rule table between its markers, and
// docs/rust-readiness.schema.json. Never edit those parts by hand;
// test/catalog.test.ts fails when they fall out of step.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../server/src/engine';
import { SCHEMA_PATH, schemaText, withManifestContributions, withReadmeTable } from './catalog';

const root = process.env.RR_ROOT ?? path.resolve(__dirname, '../..');

/** Others edit these files too: read right before writing, and write only on change. */
function update(file: string, change: (text: string | undefined) => string): void {
  const full = path.join(root, file);
  const before = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
  const after = change(before);
  if (after === before) {
    console.log(`${file}: up to date`);
    return;
  }
  fs.writeFileSync(full, after);
  console.log(`${file}: written`);
}

update('package.json', (text) => {
  if (text === undefined) throw new Error('package.json not found');
  return withManifestContributions(text, RULES);
});
update('README.md', (text) => withReadmeTable(text, RULES));
update(SCHEMA_PATH, () => schemaText(RULES));
