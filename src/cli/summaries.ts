// What each command is, in one line: for the overview, which lists every command without loading any.

/** One line per command, for the overview (`ovm-deps --help`). */
export const SUMMARIES = {
  parse: "parse vm.cfg files",
  scan: "inventory: repositories, guests, templates, their disks, classified",
  graph: "the dependency graph, or one guest's or repository's part of it (--format dot|json|mermaid)",
  plan: "per-guest backup sets (all guests when no --guest)",
  restore: "pre-restore check and restore file list (--from BACKUP)",
  check: "integrity and segregation rules for CI (--format sarif|junit|github)",
  format: "re-render a saved --format json document in another format (--format sarif|junit|…)",
  verify: "check a backup copy (or a restored tree) against a saved plan --checksum manifest",
  rebuild:
    "what it takes to recreate a guest: disks, interfaces, NFS mounts (--format markdown|rsync-exclude)",
  report: "the estate in one offline HTML page: summary, findings, graph, backup sets (--out FILE.html)",
} as const;
