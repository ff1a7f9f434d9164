"""The contract's `split_suspects`: single-person households that look like one household.

The rule, within one annex:
1. single-person RSU households whose addresses are equal once case, punctuation and
   spacing are ignored form a candidate group (two or more);
2. two members are a *couple* when one is a man and the other a woman, both adults, at most
   COUPLE_GAP years apart, with different family names in both scripts — Moroccan spouses
   keep their own family names;
3. two members are *kin* when they carry the same family name (Arabic name key or Latin
   key): children carry their father's family name. Kin at least PARENT_GAP years apart
   are a *parent and child*;
4. a woman PARENT_GAP to MOTHER_GAP years older than a member with another family name is
   a possible *mother* (her children carry their father's name);
5. a group is a suspected split when it holds a couple, a parent and child, or a mother
   of a minor or of someone with kin in the group. Its members are those in at least one
   couple, kin or mother pair; someone sharing only the address is left out.
"""

from __future__ import annotations

from sijill.engine.reconciliation.prepare import Sql

COUPLE_GAP = 20
PARENT_GAP = 15
MOTHER_GAP = 50
ADULT = 18


def singles(sql: Sql) -> str:
    d = sql.dialect
    age = f"CAST(floor({d.days_between('r.birth_date', sql.as_of)} / 365.25) AS INTEGER)"
    # Family names repeat endlessly: each spelling is normalized once (Arabic: w_spelling).
    return f"""CREATE OR REPLACE TABLE w_single AS
        WITH s AS (
            SELECT r.household_id, r.idcs, r.annex_code, r.sex, {age} AS age, r.address,
                   r.last_h, r.last_name_lat
            FROM w_rsu r JOIN w_household h ON h.household_id = r.household_id
            WHERE h.members = 1 AND h.known),
        lat AS (SELECT v, {d.latin_family_key("v")} AS k
                FROM (SELECT DISTINCT last_name_lat AS v FROM s))
        SELECT s.household_id, s.idcs, s.annex_code, s.sex, s.age,
               {d.address_key("s.address")} AS address_key,
               ar.k AS family_ar, lat.k AS family_lat
        FROM s LEFT JOIN w_spelling ar ON ar.h = s.last_h
        LEFT JOIN lat ON lat.v = s.last_name_lat"""


PAIRS = f"""CREATE OR REPLACE TABLE w_single_pair AS
    WITH grouped AS (
        SELECT s.* FROM w_single s JOIN (
            SELECT annex_code, address_key FROM w_single
            GROUP BY annex_code, address_key HAVING count(*) >= 2) g
        ON g.annex_code = s.annex_code AND g.address_key = s.address_key),
    pairs AS (
        SELECT a.annex_code, a.address_key, a.household_id AS old_id, b.household_id AS young_id,
               a.sex AS old_sex, b.sex AS young_sex, a.age AS old_age, b.age AS young_age,
               a.family_ar = b.family_ar OR a.family_lat = b.family_lat AS kin
        FROM grouped a JOIN grouped b
          ON a.annex_code = b.annex_code AND a.address_key = b.address_key
         AND (a.age > b.age OR (a.age = b.age AND a.household_id < b.household_id)))
    SELECT annex_code, address_key, old_id, young_id, kin,
           old_sex <> young_sex AND young_age >= {ADULT}
               AND old_age - young_age <= {COUPLE_GAP} AND NOT kin AS couple,
           kin AND old_age - young_age >= {PARENT_GAP} AS parent_child,
           old_sex = 'F' AND NOT kin
               AND old_age - young_age BETWEEN {PARENT_GAP} AND {MOTHER_GAP} AS mother,
           young_age < {ADULT} AS young_minor
    FROM pairs"""

SUSPECTS = """CREATE OR REPLACE TABLE split_suspects AS
    WITH with_kin AS (
        SELECT old_id AS household_id FROM w_single_pair WHERE kin
        UNION SELECT young_id FROM w_single_pair WHERE kin),
    groups AS (
        SELECT p.annex_code, p.address_key,
               SUM(CASE WHEN p.couple THEN 1 ELSE 0 END) AS couples,
               SUM(CASE WHEN p.parent_child THEN 1 ELSE 0 END) AS parent_child,
               SUM(CASE WHEN p.mother AND (p.young_minor OR k.household_id IS NOT NULL)
                   THEN 1 ELSE 0 END) AS mothers
        FROM w_single_pair p LEFT JOIN with_kin k ON k.household_id = p.young_id
        GROUP BY p.annex_code, p.address_key),
    linked AS (
        SELECT annex_code, address_key, old_id AS household_id FROM w_single_pair
            WHERE couple OR kin OR mother
        UNION SELECT annex_code, address_key, young_id FROM w_single_pair
            WHERE couple OR kin OR mother),
    members AS (
        SELECT l.*, g.couples, g.parent_child, g.mothers,
               min(l.household_id) OVER (PARTITION BY l.annex_code, l.address_key) AS first_id,
               count(*) OVER (PARTITION BY l.annex_code, l.address_key) AS size
        FROM linked l JOIN groups g
          ON g.annex_code = l.annex_code AND g.address_key = l.address_key
        WHERE g.couples + g.parent_child + g.mothers > 0)
    SELECT 'SPLIT-' || m.first_id AS cluster_id, m.household_id, s.idcs, m.annex_code,
           CAST(m.size AS VARCHAR) || ' single-person households at ' || m.address_key
             || ': ' || CAST(m.couples AS VARCHAR) || ' couple(s), '
             || CAST(m.parent_child AS VARCHAR) || ' parent-child pair(s) by family name, '
             || CAST(m.mothers AS VARCHAR) || ' possible mother(s)' AS reason
    FROM members m JOIN w_single s ON s.household_id = m.household_id
    WHERE m.size >= 2
    ORDER BY cluster_id, m.household_id"""


def statements(sql: Sql) -> list[str]:
    return [singles(sql), PAIRS, SUSPECTS]
