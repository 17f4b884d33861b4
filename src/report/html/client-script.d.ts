// The report page's script (src/report/html/client.ts bundled with sigma and graphology), as text: tsup and
// vitest build it when they build or load the library (scripts/report-client.ts).
declare module "virtual:report-client" {
  const script: string;
  export default script;
}
