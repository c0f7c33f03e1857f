// The app's settings (apps_config["container-net"] in the config file),
// with their defaults. Tests give their own names so they never touch the
// machine's real plugin socket or bridge.

export interface Settings {
  /** The bridge networks go on unless they name one: created by the app (userspace datapath, fail-mode secure). */
  readonly bridge: string;
  /** First characters of every veth the app creates (at most 5: Linux names have 15). */
  readonly vethPrefix: string;
  /** Docker finds a legacy plugin by its socket's file name: `docker network create -d <pluginName>`. */
  readonly pluginName: string;
  readonly pluginDir: string;
  /** false: never serve the Docker plugin. */
  readonly plugin: boolean;
  readonly dockerSocket: string;
}

export const DEFAULT_SETTINGS: Settings = {
  bridge: 'sy-cnet0',
  vethPrefix: 'sy',
  pluginName: 'switchyard',
  pluginDir: '/run/docker/plugins',
  plugin: true,
  dockerSocket: '/var/run/docker.sock',
};

export function readSettings(c: Readonly<Record<string, unknown>>): Settings {
  const str = (k: keyof Settings, re: RegExp): string => {
    const v = c[k];
    if (v === undefined) return DEFAULT_SETTINGS[k] as string;
    if (typeof v !== 'string' || !re.test(v)) throw new Error(`apps_config.container-net.${k} must match ${re}, got ${JSON.stringify(v)}`);
    return v;
  };
  return {
    bridge: str('bridge', /^[a-zA-Z0-9_-]{1,15}$/),
    vethPrefix: str('vethPrefix', /^[a-z][a-z0-9]{0,4}$/),
    pluginName: str('pluginName', /^[a-zA-Z0-9_.-]{1,64}$/),
    pluginDir: str('pluginDir', /^\/.+/),
    plugin: c.plugin !== false,
    dockerSocket: str('dockerSocket', /^\/.+/),
  };
}
