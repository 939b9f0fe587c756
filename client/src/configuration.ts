// The server layers configuration as defaults < .rust-readiness.json < settings.
// VS Code's workspace/configuration answer includes the contributed defaults, which
// would silently override the file; so for `rustReadiness` we answer with only the
// values a user actually set (user, workspace or folder scope).
import * as vscode from 'vscode';
import { ResponseError, type ConfigurationParams, type ConfigurationRequest } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../server/src/protocol';

const KEYS = ['enable', 'rules', 'exclude', 'maxFileSize'] as const;

export const explicitSettingsMiddleware: ConfigurationRequest.MiddlewareSignature = async (params: ConfigurationParams, token, next) => {
  const answered = await next(params, token);
  if (answered instanceof ResponseError) return answered;
  return answered.map((value, i) => (params.items[i].section === SETTINGS_SECTION ? explicitSettings(params.items[i].scopeUri) : value));
};

export function explicitSettings(scopeUri: string | undefined): Record<string, unknown> {
  const scope = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = config.inspect(key);
    if (!value) continue;
    if (key === 'rules') {
      // Rule maps merge across scopes, the narrower scope winning per rule.
      const rules = { ...asObject(value.globalValue), ...asObject(value.workspaceValue), ...asObject(value.workspaceFolderValue) };
      if (Object.keys(rules).length > 0) out.rules = rules;
    } else {
      const set = value.workspaceFolderValue ?? value.workspaceValue ?? value.globalValue;
      if (set !== undefined) out[key] = set;
    }
  }
  return out;
}

function asObject(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
