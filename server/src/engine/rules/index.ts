// The rule registry: one line per rule, sorted by id.
import type { Rule } from '../rule';
import arrayDecay from './array-decay';
import cArray from './c-array';
import cStyleCast from './c-style-cast';
import constCast from './const-cast';
import danglingLocalAddress from './dangling-local-address';
import exceptions from './exceptions';
import functionPointerCallback from './function-pointer-callback';
import goto from './goto';
import inheritance from './inheritance';
import inlineAsm from './inline-asm';
import macro from './macro';
import mallocFree from './malloc-free';
import manualLock from './manual-lock';
import manualResource from './manual-resource';
import mutableGlobal from './mutable-global';
import newArray from './new-array';
import nullMacro from './null-macro';
import outParameter from './out-parameter';
import owningRawMember from './owning-raw-member';
import pointerArithmetic from './pointer-arithmetic';
import rawDelete from './raw-delete';
import rawMemoryCall from './raw-memory-call';
import rawNew from './raw-new';
import reinterpretCast from './reinterpret-cast';
import ruleOfFive from './rule-of-five';
import setjmpLongjmp from './setjmp-longjmp';
import uninitializedVariable from './uninitialized-variable';
import union from './union';
import unsafeStringCall from './unsafe-string-call';
import varargs from './varargs';
import voidPointer from './void-pointer';

export const RULES: readonly Rule[] = [
  arrayDecay,
  cArray,
  cStyleCast,
  constCast,
  danglingLocalAddress,
  exceptions,
  functionPointerCallback,
  goto,
  inheritance,
  inlineAsm,
  macro,
  mallocFree,
  manualLock,
  manualResource,
  mutableGlobal,
  newArray,
  nullMacro,
  outParameter,
  owningRawMember,
  pointerArithmetic,
  rawDelete,
  rawMemoryCall,
  rawNew,
  reinterpretCast,
  ruleOfFive,
  setjmpLongjmp,
  uninitializedVariable,
  union,
  unsafeStringCall,
  varargs,
  voidPointer,
];
