import * as assert from 'node:assert/strict';
import { parseQueryOutput } from '../bench/lib/clang-query';

describe('bench clang-query output', () => {
  it('keeps the "root" binding lines of the file itself, not of headers or other notes', () => {
    const out = [
      'Match #1:',
      '',
      '/src/a.cc:12:29: note: "root" binds here',
      '  Foo *f = new Foo(s);',
      '                            ^~~~~~~~~~',
      '/src/a.h:3:1: note: "root" binds here',
      '/src/a.cc:40:5: note: "other" binds here',
      '/src/a.cc:7:10: note: "root" binds here',
      '3 matches.',
    ].join('\n');
    assert.deepEqual(parseQueryOutput(out, '/src/a.cc'), [12, 7]);
  });
});
