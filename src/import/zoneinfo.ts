/**
 * /proc/zoneinfo (mm/vmstat.c zoneinfo_show_print, Linux 6.x): a "Node <n>, zone <%8s>" header,
 * then "  pages free <n>", "        spanned|present|managed <n>" among the watermarks, the
 * counters, "protection: (...)", the per-cpu pagesets, and for populated zones a final
 * "  start_pfn: <n>". "Node <n>, per-node stats" blocks (since 4.20) carry no zone facts and are
 * skipped. The captures' digest `zone <node> <zone> free spanned present managed start_pfn`
 * ("-" for an unpopulated zone; trailing extra numbers ignored) is read too.
 *
 * Only the five facts per zone are kept; every other indented "name value" line is accepted as a
 * counter without being checked, because the set of counters changes from release to release.
 */
import { ZONES, type ZoneName } from '../engine/arch.ts';
import { type ImportProblem, type SourceLine, quote } from './types.ts';

export interface ZoneRecord {
  node: number;
  zone: ZoneName;
  freePages: number | null;
  spannedPages: number | null;
  presentPages: number | null;
  managedPages: number | null;
  /** Null for an unpopulated zone (the kernel prints no start_pfn for it). */
  startPfn: number | null;
  line: number;
}

export interface ZoneinfoParse {
  format: 'zoneinfo';
  zones: ZoneRecord[];
  digest: boolean;
  problems: ImportProblem[];
}

const ZONE_HEADER = /^Node (\d+), zone\s+(\S+)$/;
const NODE_STATS = /^Node (\d+), per-node stats$/;
const DIGEST = /^zone (\d+) (\S+) (\d+) (\d+) (\d+) (\d+) (\d+|-)((?: -?\d+)*)$/;
const FIELD = /^\s+(?:pages )?(free|spanned|present|managed)\s+(\d+)$/;
const START_PFN = /^\s+start_pfn:\s+(\d+)$/;
/** Counters, watermarks, pageset fields: "nr_free_pages 3840", "count: 0", "cpu: 1". */
const COUNTER = /^\s+[a-z_][\w ()-]*:?\s+-?\d+$/i;
const OTHER = /^\s+(protection: \([-\d, ]*\)|pagesets|per-node stats)$/;

export const isZoneinfoHeader = (text: string) =>
  ZONE_HEADER.test(text) || NODE_STATS.test(text) || DIGEST.test(text);

function zoneName(word: string): ZoneName | null {
  return ZONES.find((zone) => zone.toLowerCase() === word.toLowerCase()) ?? null;
}

export function parseZoneinfo(lines: SourceLine[]): ZoneinfoParse {
  const parse: ZoneinfoParse = { format: 'zoneinfo', zones: [], digest: false, problems: [] };
  let current: ZoneRecord | null = null;
  let inNodeStats = false;
  const unknownZone = (line: SourceLine, word: string) =>
    parse.problems.push({
      line: line.no,
      message: `unknown zone ${quote(word)} (expected ${ZONES.join(', ')})`,
    });

  for (const line of lines) {
    const text = line.text;
    if (!text.trim()) continue;
    const digest = DIGEST.exec(text);
    if (digest) {
      parse.digest = true;
      current = null;
      const zone = zoneName(digest[2]!);
      if (!zone) {
        unknownZone(line, digest[2]!);
        continue;
      }
      parse.zones.push({
        node: Number(digest[1]),
        zone,
        freePages: Number(digest[3]),
        spannedPages: Number(digest[4]),
        presentPages: Number(digest[5]),
        managedPages: Number(digest[6]),
        startPfn: digest[7] === '-' ? null : Number(digest[7]),
        line: line.no,
      });
      continue;
    }
    const header = ZONE_HEADER.exec(text);
    if (header) {
      inNodeStats = false;
      const zone = zoneName(header[2]!);
      current = null;
      if (!zone) {
        unknownZone(line, header[2]!);
        continue;
      }
      current = {
        node: Number(header[1]),
        zone,
        freePages: null,
        spannedPages: null,
        presentPages: null,
        managedPages: null,
        startPfn: null,
        line: line.no,
      };
      parse.zones.push(current);
      continue;
    }
    if (NODE_STATS.test(text)) {
      inNodeStats = true;
      current = null;
      continue;
    }
    const indented = /^\s/.test(text);
    if (indented && (current || inNodeStats)) {
      const field = FIELD.exec(text);
      const start = START_PFN.exec(text);
      if (current && field) {
        const value = Number(field[2]);
        if (field[1] === 'free') current.freePages = value;
        else if (field[1] === 'spanned') current.spannedPages = value;
        else if (field[1] === 'present') current.presentPages = value;
        else current.managedPages = value;
      } else if (current && start) current.startPfn = Number(start[1]);
      else if (!COUNTER.test(text) && !OTHER.test(text))
        parse.problems.push({
          line: line.no,
          message: `expected an indented "<name> <number>" zoneinfo line, got ${quote(text)}`,
        });
      continue;
    }
    parse.problems.push({
      line: line.no,
      message: `expected "Node <n>, zone <name>" or "zone <node> <zone> <free> <spanned> <present> <managed> <start_pfn>", got ${quote(text)}`,
    });
  }
  for (const zone of parse.zones) {
    const missing = (['spannedPages', 'presentPages', 'managedPages'] as const)
      .filter((key) => zone[key] === null)
      .map((key) => key.replace('Pages', ''));
    if (missing.length)
      parse.problems.push({
        line: zone.line,
        message: `node ${zone.node} zone ${zone.zone} has no ${missing.map((m) => `"${m}"`).join(', ')} line`,
      });
  }
  return parse;
}
