// The rule catalog is complete and in step (eslint's checkRuleFiles,
// rust-analyzer's generated settings): every rule has complete metadata, a
// fixture folder with positive cases and a doc page, the registry is sorted,
// and the parts generated from the metadata (package.json settings, the README
// table, the .rust-readiness.json schema) equal what `npm run generate` would
// write now.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { RULES, SEVERITIES, docParts, validateConfig } from '../server/src/engine';
import {
  SCHEMA_PATH, configSchema, configurationContribution, currentReadmeTable, jsonValidationContribution, readmeTable,
  schemaText, withReadmeTable,
} from '../scripts/catalog';
import { ROOT } from './helpers';

const REGENERATE = 'run `npm run generate` and commit the result';
const LANGUAGE_NAMES = { c: 'C', cpp: 'C++' } as const;
const SECTIONS = ['## What is flagged', '## Rust equivalent', '## The incremental C++ step', '## Not flagged', '## Quick fix'];
const CATEGORIES = ['ownership', 'borrowing', 'bounds', 'nullability', 'types', 'control-flow'];

function read(rel: string): string | undefined {
  const file = path.join(ROOT, rel);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

describe('rule catalog', () => {
  it('registry: ids are unique, sorted, and each rule lives in rules/<id>.ts', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.deepEqual(ids, [...new Set(ids)].sort(), 'RULES in server/src/engine/rules/index.ts must be unique and sorted by id');
    const missing = ids.filter((id) => !fs.existsSync(path.join(ROOT, `server/src/engine/rules/${id}.ts`)));
    assert.deepEqual(missing, [], `rules without server/src/engine/rules/<id>.ts: ${missing.join(', ')}`);
  });

  for (const rule of RULES) {
    const { meta } = rule;
    describe(meta.id, () => {
      it('has complete metadata', () => {
        assert.match(meta.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'id must be kebab-case');
        for (const key of ['title', 'concept', 'description'] as const) {
          assert.ok(meta[key].trim().length > 0, `meta.${key} is empty`);
        }
        assert.ok(meta.weight > 0, 'meta.weight must be > 0');
        assert.ok(meta.languages.length > 0 && meta.languages.every((l) => l === 'c' || l === 'cpp'), 'meta.languages must be a non-empty subset of c, cpp');
        assert.equal(new Set(meta.languages).size, meta.languages.length, 'meta.languages has duplicates');
        assert.ok(SEVERITIES.includes(meta.severity) && (meta.severity as string) !== 'off', `meta.severity "${meta.severity}" is not a default severity`);
        assert.ok(CATEGORIES.includes(meta.category), `meta.category "${meta.category}" is unknown`);
        assert.equal(typeof meta.fixable, 'boolean');
      });

      it('has a fixture folder with positive cases', () => {
        const dir = path.join(ROOT, 'test/fixtures', meta.id);
        assert.ok(fs.existsSync(dir), `test/fixtures/${meta.id}/ is missing`);
        const expect = new RegExp(`expect:[^\\n]*\\b${meta.id.replace(/-/g, '\\-')}\\b`);
        const positives = fs.readdirSync(dir).filter((f) => !f.includes('.fixed.') && expect.test(fs.readFileSync(path.join(dir, f), 'utf8')));
        assert.ok(positives.length > 0, `no fixture in test/fixtures/${meta.id}/ has an \`expect: ${meta.id}\` line`);
      });

      it('has a doc page in the format of docs/rules/raw-new.md', () => {
        const rel = `docs/rules/${meta.id}.md`;
        const doc = read(rel);
        assert.ok(doc !== undefined, `${rel} is missing`);
        const text = doc.replace(/\r\n/g, '\n');
        assert.equal(text.split('\n')[0], `# ${meta.id}`, `${rel} must start with "# ${meta.id}"`);
        const parts = docParts(text);
        assert.ok(parts.firstParagraph.length > 0, `${rel} has no first paragraph (the hover shows it)`);
        assert.ok(parts.rustSnippet.length > 0, `${rel} has no \`\`\`rust snippet (the hover shows it)`);
        const missing = SECTIONS.filter((s) => !text.includes(`\n${s}\n`));
        assert.deepEqual(missing, [], `${rel} lacks sections: ${missing.join(', ')}`);
        const line = /^\*\*Rust concept:\*\*.*$/m.exec(text)?.[0];
        assert.ok(line, `${rel} lacks the "**Rust concept:** … · **Severity:** … · **Languages:** … · **Quick fix:** …" line`);
        const languages = meta.languages.map((l) => LANGUAGE_NAMES[l]).join(', ');
        assert.ok(line.includes(`**Severity:** ${meta.severity}`), `${rel}: severity differs from meta (${meta.severity}): ${line}`);
        assert.ok(line.includes(`**Languages:** ${languages} `) || line.endsWith(`**Languages:** ${languages}`), `${rel}: languages differ from meta (${languages}): ${line}`);
        assert.match(line, new RegExp(`\\*\\*Quick fix:\\*\\* ${meta.fixable ? 'yes' : 'no'}\\b`), `${rel}: quick fix differs from meta (${meta.fixable ? 'yes' : 'no'})`);
      });
    });
  }

  describe('generated parts are in step with the metadata', () => {
    it('package.json contributes.configuration', () => {
      const manifest = JSON.parse(read('package.json')!);
      assert.deepEqual(manifest.contributes?.configuration, configurationContribution(RULES), `package.json contributes.configuration is out of step: ${REGENERATE}`);
    });

    it('package.json contributes.jsonValidation registers the schema', () => {
      const manifest = JSON.parse(read('package.json')!);
      assert.deepEqual(manifest.contributes?.jsonValidation, jsonValidationContribution(), `package.json contributes.jsonValidation is out of step: ${REGENERATE}`);
    });

    it('the README rule table', () => {
      const readme = read('README.md');
      assert.ok(readme !== undefined, 'README.md is missing');
      assert.equal(currentReadmeTable(readme), readmeTable(RULES), `the README table between the rules markers is out of step: ${REGENERATE}`);
      assert.equal(withReadmeTable(readme, RULES), readme, 'regenerating the README would change it');
    });

    it(`the ${SCHEMA_PATH} schema`, () => {
      assert.equal(read(SCHEMA_PATH), schemaText(RULES), `${SCHEMA_PATH} is out of step: ${REGENERATE}`);
    });

    it('the schema accepts and rejects what validateConfig does', () => {
      const validate = new Ajv({ strict: false }).compile(configSchema(RULES) as object);
      const known = new Set(RULES.map((r) => r.meta.id));
      const samples: unknown[] = [
        {},
        { enable: false },
        { $schema: './docs/rust-readiness.schema.json', rules: { [RULES[0].meta.id]: 'error' }, exclude: ['vendor/**'], maxFileSize: 1000 },
        { rules: { 'no-such-rule': 'warning' } },
        { rules: { [RULES[0].meta.id]: 'loud' } },
        { enable: 'yes' },
        { exclude: 'vendor/**' },
        { maxFileSize: 0 },
        { unknownKey: 1 },
      ];
      for (const sample of samples) {
        let accepted = true;
        try {
          validateConfig(sample, known);
        } catch {
          accepted = false;
        }
        assert.equal(validate(sample), accepted, `schema and validateConfig disagree on ${JSON.stringify(sample)}`);
      }
    });
  });
});
