import type { Node } from 'web-tree-sitter';
import { defineRule, type Fix, type RuleContext, type TextEdit } from '../rule';
import { ensureInclude, statementRemoval } from '../fixes/includes';
import { wordAt } from '../text';

const C_CALLS = ['pthread_mutex_lock', 'pthread_mutex_unlock', 'EnterCriticalSection', 'LeaveCriticalSection'];
const UNLOCKS = new Set(['unlock', 'Unlock', 'pthread_mutex_unlock', 'LeaveCriticalSection']);
const LOCK_METHODS = new Set(['lock', 'unlock', 'Lock', 'Unlock']);

export default defineRule({
  meta: {
    id: 'manual-lock',
    title: 'Manual lock / unlock',
    description: '`m.lock()` / `m.unlock()` on a mutex, pthread_mutex_lock/unlock, Enter/LeaveCriticalSection',
    concept: 'Mutex<T> + MutexGuard',
    category: 'ownership',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 4,
    fixable: true,
  },
  calls: C_CALLS,
  // Method calls are found from their names in the text: a pattern matched every
  // method call of the file (12k in the C++ corpus) to keep a few dozen.
  words: { cpp: [...LOCK_METHODS] },
  wordsFollowedBy: /\s*\(/y,
  create(ctx) {
    let mutexes: Map<string, MutexDecl | 'other'> | undefined;
    const declared = (name: string) => (mutexes ??= mutexDeclarations(ctx.text)).get(name);
    const calls: LockCall[] = [];
    return {
      match({ call: cCall, fn, word, wordParent: callee }) {
        if (fn) {
          const arg = cCall.childForFieldName('arguments')?.namedChildren[0];
          calls.push({ call: cCall, what: fn.text, key: `${fn.text.replace(/Un|un|Leave|Enter/g, '')}:${squash(arg?.text ?? '')}`, unlock: UNLOCKS.has(fn.text) });
          return;
        }
        // `recv.lock(…)`: the word is the field of a member access that is the function of a call.
        if (word?.type !== 'field_identifier' || callee?.type !== 'field_expression') return;
        const methodName = wordAt(ctx.text, word.startIndex);
        const call = callee.parent;
        const recv = callee.childForFieldName('argument');
        if (call?.type !== 'call_expression' || !recv || !call.childForFieldName('function')?.equals(callee) || call.childForFieldName('arguments')?.type !== 'argument_list') return;
        const name = receiverName(recv);
        const decl = name ? declared(name) : undefined;
        if (decl === 'other') return; // a std::unique_lock / lock_guard / scoped_lock and the like
        // Without a declaration in the file, only a name that says "mutex" is trusted,
        // and only for the standard spelling lock()/unlock().
        if (!decl && !(name && MUTEX_NAME.test(name) && /^(un)?lock$/.test(methodName))) return;
        const receiver = squash(recv.text);
        const arrow = callee.childForFieldName('operator')?.text === '->';
        calls.push({ call, what: `${receiver}${arrow ? '->' : '.'}${methodName}()`, key: `${arrow ? '*' : ''}${receiver}`, unlock: UNLOCKS.has(methodName), recv, decl, arrow });
      },
      finish() {
        for (const c of calls) if (ctx.lang === 'c' || !inConstructorOrDestructor(c.call)) report(ctx, c, calls);
      },
    };
  },
});

interface MutexDecl {
  /** The declared type as written, e.g. `std::recursive_mutex`. */
  type: string;
}

interface LockCall {
  call: Node;
  what: string;
  /** Calls with the same key lock and unlock the same mutex. */
  key: string;
  unlock: boolean;
  recv?: Node;
  decl?: MutexDecl;
  arrow?: boolean;
}

const MUTEX_NAME = /mutex|mtx|(?:^|_)mu(?:_|$)/i;

function report(ctx: RuleContext, c: LockCall, calls: LockCall[]): void {
  const rust = 'in Rust a MutexGuard unlocks when it goes out of scope';
  const step = ctx.lang === 'c' ? 'keep each lock and its unlock in one block with a single exit'
    : c.recv ? 'use std::lock_guard' : 'use std::mutex with std::lock_guard';
  const lock = c.unlock ? pairedLock(c, calls) : undefined;
  const pair = c.recv ? lockGuardFix(ctx, c.unlock ? lock : c, calls) : undefined;
  const fix = pair && (!c.unlock || pair.unlock === c) ? pair.fix : undefined;
  ctx.report({
    node: c.call,
    message: `manual ${c.unlock ? 'unlock' : 'lock'} (${c.what}): ${rust}; ${step}`,
    fix,
    related: lock ? [{ start: lock.call.startIndex, end: lock.call.endIndex, message: `locked here: ${lock.what}` }] : undefined,
  });
}

/** The nearest earlier lock of the same mutex in the same function. */
function pairedLock(unlock: LockCall, calls: LockCall[]): LockCall | undefined {
  const fn = enclosingFunction(unlock.call);
  let best: LockCall | undefined;
  for (const c of calls) {
    if (c.unlock || c.key !== unlock.key || c.call.startIndex >= unlock.call.startIndex) continue;
    if (!best || c.call.startIndex > best.call.startIndex) best = c;
  }
  return best && fn && enclosingFunction(best.call)?.equals(fn) ? best : undefined;
}

/**
 * A lock in a constructor and an unlock in a destructor are how a scoped guard
 * is written (`~MutexLock() { mu_->Unlock(); }`): that is the RAII step, not manual locking.
 */
function inConstructorOrDestructor(call: Node): boolean {
  const fn = enclosingFunction(call);
  if (fn?.type !== 'function_definition') return false;
  let d = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.namedChildren.find((c) => c.type.endsWith('declarator')) ?? null;
  let name = d?.childForFieldName('declarator');
  if (name?.type === 'qualified_identifier') {
    const scope = name.childForFieldName('scope')?.text.replace(/<.*$/s, '');
    name = name.childForFieldName('name');
    if (name?.type === 'identifier' && scope === name.text) return true; // Guard::Guard(…)
  }
  if (name?.type === 'destructor_name') return true;
  if (name?.type !== 'identifier' || fn.childForFieldName('type')) return false;
  // In the class body: a constructor has no return type and the class's name.
  const cls = fn.parent?.parent;
  return (cls?.type === 'class_specifier' || cls?.type === 'struct_specifier') && cls.childForFieldName('name')?.text === name.text;
}

function enclosingFunction(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition' || n.type === 'lambda_expression') return n;
  return null;
}

/** Statements between a lock and its unlock that would leave the block early or jump into it. */
const JUMPS = ['return_statement', 'break_statement', 'continue_statement', 'goto_statement', 'labeled_statement', 'case_statement', 'co_return_statement'];
const GUARD_NAMES = ['lock', 'guard', 'lock_', 'guard_', 'lk', 'lck', 'mutex_guard', 'lock_guard_'];

/**
 * `m.lock(); … m.unlock();` with the unlock as the last statement of the same
 * block becomes `std::lock_guard<T> lock(m); …`: the guard is destroyed at the
 * end of the block, where the unlock was. Only when nothing in between can
 * leave the block early or jump into it, and the file shows the mutex's type.
 */
function lockGuardFix(ctx: RuleContext, lock: LockCall | undefined, calls: LockCall[]): { fix: Fix; unlock: LockCall } | undefined {
  if (!lock?.recv || !lock.decl || lock.unlock || !/^lock$/.test(lock.call.childForFieldName('function')?.childForFieldName('field')?.text ?? '')) return undefined;
  if (!isSimpleReceiver(lock.recv)) return undefined;
  const stmt = lock.call.parent;
  const block = stmt?.parent;
  if (stmt?.type !== 'expression_statement' || block?.type !== 'compound_statement' || block.parent?.type === 'switch_statement') return undefined;
  if (block.hasError) return undefined; // a jump could hide in what did not parse
  const statements = block.namedChildren.filter((n) => n.type !== 'comment');
  const last = statements[statements.length - 1];
  const unlock = calls.find((c) => c.unlock && c.recv && c.key === lock.key && c.call.parent?.equals(last));
  if (!unlock || !/^unlock$/.test(unlock.call.childForFieldName('function')?.childForFieldName('field')?.text ?? '')) return undefined;
  if (last.equals(stmt) || block.descendantsOfType(JUMPS, stmt.endPosition, last.startPosition).length > 0) return undefined;
  // Another lock or unlock of the same mutex in between: not a simple pair.
  if (calls.some((c) => c !== lock && c !== unlock && c.key === lock.key && c.call.startIndex > stmt.endIndex && c.call.startIndex < last.startIndex)) return undefined;
  const fn = enclosingFunction(block);
  const code = withoutCommentsAndStrings(fn ? fn.text : ctx.text);
  const name = GUARD_NAMES.find((n) => !usesName(code, n));
  if (!name) return undefined;
  const arg = `${lock.arrow ? '*' : ''}${squash(lock.recv.text)}`;
  const edits = [
    { start: stmt.startIndex, end: stmt.endIndex, newText: `std::lock_guard<${lock.decl.type}> ${name}(${arg});` },
    removeStatement(ctx.text, last.startIndex, last.endIndex),
  ];
  const include = ensureInclude(ctx.text, 'mutex');
  if (include) edits.push(include);
  return { fix: { title: `Lock ${arg} with std::lock_guard`, edits }, unlock };
}

/** `m`, `this->m_`, `s.mu`, `p->mu`: no calls, subscripts or side effects. */
function isSimpleReceiver(recv: Node): boolean {
  if (recv.type === 'identifier' || recv.type === 'this') return true;
  if (recv.type !== 'field_expression') return false;
  const inner = recv.childForFieldName('argument');
  return !!inner && isSimpleReceiver(inner);
}

/**
 * Removes a statement: its whole line when it is alone there; when a comment
 * follows it on its line, the comment stays, at the statement's indentation.
 */
function removeStatement(text: string, start: number, end: number): TextEdit {
  const rest = /^[ \t]*(?=\/[/*])/.exec(text.slice(end));
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (rest && !text.slice(lineStart, start).trim()) return { start, end: end + rest[0].length, newText: '' };
  return statementRemoval(text, start, end);
}

function withoutCommentsAndStrings(code: string): string {
  return code.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, ' ');
}

/** Whether `name` is used in `text` other than as a member (`.name`, `->name`, `::name`). */
function usesName(text: string, name: string): boolean {
  for (const m of text.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) {
    if (!/(?:\.|->|::)\s*$/.test(text.slice(Math.max(0, m.index - 8), m.index))) return true;
  }
  return false;
}

function receiverName(recv: Node): string | undefined {
  switch (recv.type) {
    case 'identifier': return recv.text;
    case 'field_expression': return recv.childForFieldName('field')?.text;
    case 'qualified_identifier': return recv.childForFieldName('name')?.text;
    case 'subscript_expression': {
      const arg = recv.childForFieldName('argument');
      return arg ? receiverName(arg) : undefined;
    }
    default: return undefined;
  }
}

function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

// Declarations are found with a scan of the text, once per file that locks
// something: a mutex is usually a member or a global, declared far from the
// call, and a query capturing every declaration would cost every file.
const MUTEX_DECL = /\b((?:\w+::)*\w*(?:mutex|Mutex|MUTEX|mutex_t|SpinLock|Spinlock|spinlock|spin_lock|CriticalSection|CRITICAL_SECTION))\b\s*[*&]*\s*(\w+)\s*(?=[;,={)[])/g;
const GUARD_DECL = /\b((?:\w+::)*(?:unique_lock|shared_lock|lock_guard|scoped_lock|\w*(?:Lock|Locker|Guard)))\b\s*(?:<[^;{}]*?>)?\s*[*&]*\s*(\w+)\s*(?=[;,={()[])/g;

function mutexDeclarations(text: string): Map<string, MutexDecl | 'other'> {
  const map = new Map<string, MutexDecl | 'other'>();
  const add = (name: string, value: MutexDecl | 'other') => {
    const old = map.get(name);
    // The same name declared with two different types: trust neither.
    map.set(name, old === undefined || (old !== 'other' && value !== 'other' && old.type === value.type) ? value : 'other');
  };
  for (const m of text.matchAll(MUTEX_DECL)) {
    if (/^(return|else|case|new|delete|typedef)$/.test(m[2])) continue;
    add(m[2], { type: m[1] });
  }
  for (const m of text.matchAll(GUARD_DECL)) {
    if (/(?:mutex|Mutex|MUTEX|mutex_t|SpinLock|Spinlock|spinlock|spin_lock)$/.test(m[1])) continue; // a mutex whose name ends in Lock
    add(m[2], 'other');
  }
  return map;
}
