import type { AppDefinition } from '../core/apps/app-context.js';

/** Every app that ships with Switchyard, by name. */
export const BUILTIN_APPS: readonly AppDefinition[] = [];
