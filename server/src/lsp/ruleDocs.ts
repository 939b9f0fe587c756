// Rule documentation for diagnostics and hovers: docs/rules/<id>.md under the
// extension root, linked by file URI and read once per rule.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { docPath } from '../engine';

export class RuleDocs {
  private readonly texts = new Map<string, string | undefined>();

  constructor(private readonly extensionRoot: string) {}

  href(ruleId: string): string {
    return pathToFileURL(path.join(this.extensionRoot, docPath(ruleId))).toString();
  }

  /** The page's markdown, or undefined while a rule has no page yet. */
  text(ruleId: string): string | undefined {
    if (!this.texts.has(ruleId)) {
      let text: string | undefined;
      try {
        text = fs.readFileSync(path.join(this.extensionRoot, docPath(ruleId)), 'utf8');
      } catch {
        text = undefined;
      }
      this.texts.set(ruleId, text);
    }
    return this.texts.get(ruleId);
  }
}
