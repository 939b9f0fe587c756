// Activation on a C file, in a host of its own (a host activates an extension once).
import assert from 'node:assert/strict';
import { byLine, DEADLINE_MS, expectations, extension, open, sameMap, waitFor, waitForDiagnostics, workspaceUri } from './helpers';

describe('activation on a C file', function () {
  it('activates when the first C file opens, and reports its findings', async function () {
    const ext = extension();
    assert.equal(ext.isActive, false, 'the extension was active before any C or C++ file was opened');
    const editor = await open(workspaceUri('buffer.c'));
    assert.equal(editor.document.languageId, 'c');
    await waitFor(() => ext.isActive, DEADLINE_MS, 'the extension did not activate on a C file');
    const expected = expectations(editor.document.getText());
    assert.ok(expected.size >= 3, 'buffer.c lost its expect: comments');
    await waitForDiagnostics(editor.document.uri, (d) => sameMap(byLine(d), expected), 'the C findings did not appear');
  });
});
