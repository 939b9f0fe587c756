// Activation on a C++ file: nothing runs until one opens, then the server reports on it.
import assert from 'node:assert/strict';
import { byLine, DEADLINE_MS, listDiagnostics, expectations, extension, open, sameMap, waitFor, waitForDiagnostics, workspaceUri } from './helpers';

describe('activation on a C++ file', function () {
  it('activates when the first C++ file opens, and reports its findings', async function () {
    const ext = extension();
    assert.equal(ext.isActive, false, 'the extension was active before any C or C++ file was opened');
    const editor = await open(workspaceUri('widget.cpp'));
    assert.equal(editor.document.languageId, 'cpp');
    await waitFor(() => ext.isActive, DEADLINE_MS, 'the extension did not activate on a C++ file');
    const expected = expectations(editor.document.getText());
    const ds = await waitForDiagnostics(editor.document.uri, (d) => sameMap(byLine(d), expected), 'the C++ findings did not appear');
    assert.ok(ds.length >= 4, listDiagnostics(ds));
  });
});
