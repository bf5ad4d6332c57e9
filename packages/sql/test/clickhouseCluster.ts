// Two private ClickHouse servers (Debian's clickhouse-server) on loopback ports, in a temporary
// directory, with a cluster `two` of one shard each: started by the test, stopped by process id.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CLICKHOUSE_SERVER = process.env.CLICKHOUSE_SERVER ?? "/usr/sbin/clickhouse-server";

export interface ClickhouseCluster {
  /** HTTP URLs of the two servers (the first one is queried through the Distributed table). */
  urls: [string, string];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const users = `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
`;

function config(dir: string, http: number, tcp: number, shards: number[]): string {
  const replicas = shards.map((port) => `<shard><replica><host>127.0.0.1</host><port>${port}</port></replica></shard>`).join("");
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog></logger>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>536870912</mark_cache_size>
  <max_concurrent_queries>20</max_concurrent_queries>
  <remote_servers><two>${replicas}</two></remote_servers>
</yandex>
`;
}

async function ready(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`clickhouse-server exited with code ${child.exitCode}`);
    try {
      const r = await fetch(url, { method: "POST", body: "SELECT 1" });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`clickhouse-server at ${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Starts the two servers and waits until both answer. */
export async function startCluster(): Promise<ClickhouseCluster> {
  const root = mkdtempSync(join(tmpdir(), "lmm-clickhouse-"));
  const ports = { http: [await freePort(), await freePort()], tcp: [await freePort(), await freePort()] };
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.pid === undefined) return resolve();
            child.once("exit", () => resolve());
            process.kill(child.pid, "SIGTERM");
            setTimeout(() => {
              if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
            }, 10_000).unref();
          }),
      ),
    );
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (let s = 0; s < 2; s++) {
      const dir = join(root, `shard${s + 1}`);
      mkdirSync(join(dir, "data"), { recursive: true });
      mkdirSync(join(dir, "tmp"), { recursive: true });
      writeFileSync(join(dir, "users.xml"), users);
      writeFileSync(join(dir, "config.xml"), config(dir, ports.http[s], ports.tcp[s], ports.tcp));
      children.push(spawn(CLICKHOUSE_SERVER, [`--config-file=${join(dir, "config.xml")}`], { cwd: dir, stdio: "ignore" }));
    }
    const urls: [string, string] = [`http://127.0.0.1:${ports.http[0]}/`, `http://127.0.0.1:${ports.http[1]}/`];
    await Promise.all(urls.map((u, s) => ready(u, children[s], 60_000)));
    return { urls, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Runs a statement that returns nothing (CREATE, INSERT … FORMAT with its data after). */
export async function execute(url: string, sql: string): Promise<void> {
  const r = await fetch(url, { method: "POST", body: sql });
  if (!r.ok) throw new Error(`ClickHouse: ${(await r.text()).trim()}`);
}
