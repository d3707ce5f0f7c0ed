/**
 * CPU time and peak memory of processes, from /proc (Linux). CPU time is
 * the benchmark's second measure next to wall time: on a shared 2-core
 * machine wall time swings with other load, CPU time much less.
 */
import * as fs from "fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux

function statFields(pid: number | "self"): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces; fields after it are space separated.
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** CPU ms (user + system) of a live process; 0 when it is gone. */
export function cpuMsOf(pid: number | undefined): number {
  if (!pid) return 0;
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) * TICK_MS : 0;
}

/** CPU ms of this process plus every child it has already waited for (exited children). */
export function cpuMsSelfAndReapedChildren(): number {
  const f = statFields("self");
  if (!f) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS;
}

/** This process's own CPU ms, at microsecond resolution. */
export function cpuMsSelf(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function childPids(pid: number = process.pid): number[] {
  const out: number[] = [];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // not Linux, or the process is gone
  }
  return out;
}

/** Waits until this process has no child processes left (so their CPU time is accounted), at most `ms`. */
export async function waitForChildren(ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (childPids().length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

export function cmdlineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

/** Peak resident set (VmHWM) in MiB of a live process. */
export function peakRssMiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Polls the peak RSS of every descendant of this process while it runs;
 * VmHWM only grows, so the last reading before a process exits is (within
 * one poll interval) its peak.
 */
export class PeakRssWatcher {
  readonly peaks = new Map<number, { cmd: string; peakMiB: number }>();
  private timer: NodeJS.Timeout | undefined;

  start(intervalMs = 25): this {
    this.poll();
    this.timer = setInterval(() => this.poll(), intervalMs);
    return this;
  }

  private poll(): void {
    const stack = childPids();
    while (stack.length) {
      const pid = stack.pop()!;
      const peak = peakRssMiB(pid);
      if (peak !== undefined) {
        const seen = this.peaks.get(pid);
        if (seen) seen.peakMiB = Math.max(seen.peakMiB, peak);
        else this.peaks.set(pid, { cmd: cmdlineOf(pid), peakMiB: peak });
      }
      stack.push(...childPids(pid));
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.poll();
  }

  /** Largest peak among processes whose command line matches. */
  peakOf(match: RegExp): number | undefined {
    let best: number | undefined;
    for (const { cmd, peakMiB } of this.peaks.values()) if (match.test(cmd)) best = Math.max(best ?? 0, peakMiB);
    return best;
  }
}
