import type { AppDefinition } from '../core/apps/app-context.js';
import { blocklistApp } from './blocklist/blocklist.js';
import { containerNetApp } from './container-net/index.js';
import { forwardingApp } from './forwarding/forwarding.js';
import { l2SwitchApp } from './l2-switch/l2-switch.js';

/** Every app that ships with Switchyard, by name. */
export const BUILTIN_APPS: readonly AppDefinition[] = [l2SwitchApp, forwardingApp, blocklistApp, containerNetApp];
