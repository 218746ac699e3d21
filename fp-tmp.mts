import { PGlite } from "@electric-sql/pglite";
import { readFileSync } from "node:fs";
const FINGERPRINT_SQL = `
  select md5(string_agg(item, ',' order by item)) as fingerprint from (
    select 'rel:' || n.nspname || '.' || c.relname || ':' || c.relkind::text || ':' || c.relnatts as item
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg_temp%'
        and n.nspname not like 'pg_toast_temp%'
    union all
    select 'col:' || a.attrelid::regclass::text || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod)
        || ':' || a.attnotnull || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where n.nspname in ('public', 'drizzle') and a.attnum > 0 and not a.attisdropped
    union all
    select 'con:' || conname || ':' || pg_get_constraintdef(oid) from pg_constraint
      where connamespace in (select oid from pg_namespace where nspname in ('public', 'drizzle'))
    union all
    select 'fn:' || p.oid::regprocedure::text || ':' || md5(p.prosrc) from pg_proc p
      where p.pronamespace in (select oid from pg_namespace where nspname in ('public', 'drizzle'))
    union all
    select 'trg:' || tgrelid::regclass::text || '.' || tgname || ':' || tgenabled::text from pg_trigger where not tgisinternal
    union all
    select 'type:' || t.typname from pg_type t
      where t.typnamespace in (select oid from pg_namespace where nspname in ('public', 'drizzle'))
    union all
    select 'nsp:' || nspname from pg_namespace where nspname not like 'pg_temp%' and nspname not like 'pg_toast_temp%'
    union all
    select 'mig:' || id || ':' || hash from drizzle.__drizzle_migrations
  ) items`;
const pg = await PGlite.create({ loadDataDir: new Blob([new Uint8Array(readFileSync(process.argv[2]))]) });
const fp = async () => (await pg.query<{ fingerprint: string }>(FINGERPRINT_SQL)).rows[0]!.fingerprint;
function cpu(t: NodeJS.CpuUsage) { const d = process.cpuUsage(t); return Math.round((d.user + d.system) / 1000); }
let t = process.cpuUsage();
const a = await fp(); console.log("fp", a, "cpu", cpu(t));
t = process.cpuUsage(); await pg.exec("discard all"); console.log("discard cpu", cpu(t));
await pg.exec("create temp table x (a int)"); await pg.exec("discard all"); console.log("after temp+discard same:", (await fp()) === a);
await pg.exec("create index zz on public.users (name)"); console.log("after index differs:", (await fp()) !== a);
await pg.exec("drop index zz"); console.log("after drop same:", (await fp()) === a);
await pg.exec("alter table public.users add column q int"); console.log("after add col differs:", (await fp()) !== a);
