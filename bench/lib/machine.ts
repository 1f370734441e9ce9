/** The machine the figures were measured on. */
import os from "node:os";

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memory_gb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    /** 1-minute load average when the run started: the machine may be shared, and the figures with it. */
    load_average_1m: Math.round(os.loadavg()[0]! * 10) / 10,
  };
}
