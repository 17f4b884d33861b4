// Scan progress on a terminal: a spinner with counts while the walk still finds work, a bar with an ETA
// once the total is known. Nothing at all on a stream that is not a terminal, or for a scan under a second.
import { SingleBar } from "cli-progress";
import type { CliIo } from "./io.js";

/** A scan shorter than this shows nothing. */
const DELAY_MS = 1000;
/** How often the spinner turns (and the bar's ETA is refreshed) while no progress comes in. */
const TICK_MS = 100;
const SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

/** Feeds a progress display; `stop` clears it and restores the terminal. */
export interface ProgressReporter {
  /** `done` of `total` units; `final` once the walk is over and `total` no longer grows. */
  onProgress: ((done: number, total: number, final: boolean) => void) | undefined;
  stop(): void;
}

/** Seconds as people read a wait: `45s`, `3m05s`, `1h02m`. */
function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * The ETA of the rest of the work at the rate since the bar started; empty until that rate means something
 * (2 seconds of bar and some work done) and when nothing remains.
 */
function eta(since: { at: number; done: number }, done: number, total: number, at: number): string {
  const seconds = (at - since.at) / 1000;
  const rate = (done - since.done) / seconds;
  if (seconds < 2 || !(rate > 0) || done >= total) return "";
  return ` ETA ${duration((total - done) / rate)}`;
}

/** Thousands separated, as people read counts. */
const count = (n: number): string => n.toLocaleString("en-US");

/**
 * A progress display on `io.stderr` when it is a terminal. `label` says what is being done ("scanning").
 * Until the total is known a spinner shows the counts ("1,204 of 3,000 found so far"); the bar, with its
 * ETA, starts only with the final total, so that it never runs backwards.
 */
export function progressReporter(
  io: CliIo,
  label: string,
  now: () => number = Date.now,
  quiet = false,
): ProgressReporter {
  if (!io.stderrIsTty || quiet) return { onProgress: undefined, stop: () => {} };
  const started = now();
  let state = { done: 0, total: 0, final: false };
  let bar: SingleBar | null = null;
  let barStart = { at: 0, done: 0 };
  let spun = 0;
  let shown = false;

  const draw = (): void => {
    if (now() - started < DELAY_MS) return;
    if (state.final) {
      if (bar === null) {
        if (shown) io.stderr.write("\r\x1b[2K");
        // cli-progress checks `isTTY` on its stream; io.stderr is known to be a terminal here.
        const stream = { isTTY: true, write: (chunk: string) => io.stderr.write(chunk) };
        bar = new SingleBar({
          stream: stream as unknown as NodeJS.WritableStream,
          format: `${label} [{bar}] {value}/{total} {percentage}%{etaText}`,
          clearOnComplete: true,
          hideCursor: true,
        });
        barStart = { at: now(), done: state.done };
        bar.start(state.total, state.done, { etaText: "" });
      } else {
        bar.update(state.done, { etaText: eta(barStart, state.done, state.total, now()) });
      }
      shown = true;
      return;
    }
    spun = (spun + 1) % SPINNER.length;
    const line = `${SPINNER[spun]} ${label}: ${count(state.done)} of ${count(state.total)} found so far`;
    io.stderr.write(`\r\x1b[2K${line}`);
    shown = true;
  };

  const timer = setInterval(draw, TICK_MS);
  timer.unref();
  let last = 0;
  return {
    onProgress: (done, total, final) => {
      state = { done, total, final };
      // Redraw at most every tick; the bar itself throttles too.
      const at = now();
      if (at - last >= TICK_MS || (final && bar === null)) {
        last = at;
        draw();
      }
    },
    stop: () => {
      clearInterval(timer);
      if (bar !== null) bar.stop();
      else if (shown) io.stderr.write("\r\x1b[2K");
    },
  };
}
