// Outside the repositories: guests' backed-up `etc/fstab` files and a saved `xm list`.
import { ALL_STYLES, addText, type Estate, pickGuests, scaled } from "./model.js";
import type { ManifestNfsMount } from "./types.js";

/** `guest-backups/<simple name or name>/etc/fstab` with NFS mounts, plus one folder matching no guest. */
export function addGuestBackups(estate: Estate): void {
  const { rng } = estate;
  for (const guest of estate.guests) {
    if (guest.copyOf) {
      guest.nfsMounts = guest.copyOf.nfsMounts;
      continue;
    }
    if (rng.next() < 0.4) {
      const host = `nfs0${1 + rng.int(3)}`;
      guest.nfsMounts.push({
        source: `${host}:/export/${guest.name}/app`,
        mountPoint: "/u01/app",
        fstype: "nfs",
        options: "rw,hard",
      });
      if (rng.next() < 0.5) {
        guest.nfsMounts.push({
          source: "nfs02:/export/home",
          mountPoint: "/home",
          fstype: "nfs4",
          options: "rw,hard,intr",
        });
      }
    }
    addText(estate, `guest-backups/${guest.simpleName ?? guest.name}/etc/fstab`, fstab(guest.nfsMounts));
  }
  estate.unmatchedGuestBackups.push("guest-backups/decommissioned-host");
  addText(
    estate,
    "guest-backups/decommissioned-host/etc/fstab",
    fstab([{ source: "nfs09:/export/old", mountPoint: "/u01/old", fstype: "nfs", options: "rw,hard" }]),
  );
  estate.guestBackupsWritten = true;
}

function fstab(mounts: readonly ManifestNfsMount[]): string {
  return [
    "# /etc/fstab",
    "/dev/mapper/vg_root-lv_root /                       ext4    defaults        1 1",
    "UUID=3f1c0c86-5b1e-4f4e-9a43-0c9e8b7c7e11 /boot     ext4    defaults        1 2",
    "tmpfs                   /dev/shm                tmpfs   defaults        0 0",
    "# nfs01:/export/retired /mnt/retired nfs rw 0 0",
    ...mounts.map((m) => `${m.source} ${m.mountPoint} ${m.fstype} ${m.options} 0 0`),
    "",
  ].join("\n");
}

/** Saved `xm list` output: Domain-0 and about a quarter of the guests, by `name`. */
export function addXmList(estate: Estate): void {
  const running = pickGuests(estate, scaled(estate.guestCount, 0.25), ALL_STYLES).filter((g) => !g.copyOf);
  const row = (
    name: string,
    id: number,
    memory: number,
    vcpus: number,
    state: string,
    time: string,
  ): string =>
    `${name.padEnd(40)}${String(id).padStart(6)}${String(memory).padStart(6)}${String(vcpus).padStart(6)}     ${state}${time.padStart(10)}`;
  const lines = [
    "Name                                        ID   Mem VCPUs      State   Time(s)",
    row("Domain-0", 0, 2048, 4, "r-----", "48211.3"),
    ...running.map((g, i) => row(g.name, i + 1, g.memory, g.vcpus, "-b----", ((i + 1) * 137.4).toFixed(1))),
    "",
  ];
  addText(estate, "xm-list.txt", lines.join("\n"));
  estate.xmListNames = new Set(running.map((g) => g.name));
}
