// Re-referrals with the same concern, for analysts in Neo4j Browser or Bloom: the rows of audit 2
// of docs/rules.md (familynet.analyses.repeat_referrals) that are re-referrals about a shared
// concern category. The cohort is the in-scope referrals (kind 'referral') received in
// [$from, $to]; R is a re-referral when the same child has an in-scope referral received
// strictly before R's date and on or after R's date $months calendar months earlier (the same
// day, or the last day of that month when it has no such day: Neo4j's date - duration({months})
// clamps as the rules do, so for R on 29 Feb 2024 the window opens on 28 Feb 2023, and for R on
// 31 May 2025 the 3-month mark is 28 Feb 2025). Earlier referrals before $from count. The
// previous referral is the most recent (ties: the greatest referral_id); the interval is
// '0-{short}m' when it is on or after R - $short_months months, '{short}-{medium}m' when on or
// after R - $medium_months months, else '{medium}-{months}m'. Concern categories are the
// numbers of the CIN factor codes (3A -> 3, 18C -> 18); code 21 has none. In scope: the child is
// alive and a child (under $adult_age, a 29 February birthday falling on 1 March in other years)
// or unborn on the referral's date. One row per re-referral with a shared category, by
// received_on then referral_id. tests/test_analyst_queries.py checks it against the rules.
//
// Parameters (defaults of the rules):
//   $from, $to         the period, dates                (audit 2 has no default period)
//   $months            12: calendar months back that make a re-referral
//   $short_months      3:  first interval mark
//   $medium_months     6:  second interval mark
//   $adult_age         18: age at which a person stops being a child
//
// :param from => date('2024-07-01')
// :param to => date('2025-06-30')
// :param months => 12
// :param short_months => 3
// :param medium_months => 6
// :param adult_age => 18

MATCH (r:Referral {kind: 'referral'})-[:ABOUT]->(c:Person)
WHERE $from <= r.received_on <= $to
MATCH (p:Referral {kind: 'referral'})-[:ABOUT]->(c)
WHERE r.received_on - duration({months: $months}) <= p.received_on < r.received_on
// Both must be in scope on their own dates.
UNWIND [r, p] AS x
WITH r, p, c, x, x.received_on AS d,
     CASE WHEN c.date_of_birth IS NOT NULL THEN c.dob_latest
          WHEN c.expected_date_of_birth <= x.received_on THEN c.expected_date_of_birth END AS born
WITH r, p, c, x, d, born,
     CASE WHEN born.month = 2 AND born.day = 29 AND (born + duration({years: $adult_age})).day = 28
          THEN born + duration({years: $adult_age, days: 1}) ELSE born + duration({years: $adult_age}) END AS adult_on
WITH r, p, c, x,
     (c.date_of_death IS NULL OR c.date_of_death > d)
     AND CASE WHEN born IS NULL
           THEN coalesce(c.expected_date_of_birth > d, false)
                OR EXISTS { MATCH (c)-[m:MEMBER_OF {role: 'child'}]->(:Household)
                            WHERE (m.start_date IS NULL OR m.start_date <= d) AND (m.end_date IS NULL OR m.end_date >= d) }
           ELSE d < adult_on END AS in_scope
WITH r, p, c, collect(in_scope) AS scopes
WHERE all(s IN scopes WHERE s)
WITH r, c, p ORDER BY p.received_on DESC, p.referral_id DESC
WITH r, c, head(collect(p)) AS previous
// A concern code's category is its number (3A -> 3); 21 (no factors) has none.
WITH r, c, previous,
     [code IN r.concerns WHERE code <> '21'
      | toInteger(CASE WHEN code =~ '[0-9]+' THEN code ELSE left(code, size(code) - 1) END)] AS mine,
     [code IN previous.concerns WHERE code <> '21'
      | toInteger(CASE WHEN code =~ '[0-9]+' THEN code ELSE left(code, size(code) - 1) END)] AS theirs
WITH r, c, previous, COLLECT { UNWIND mine AS category WITH DISTINCT category WHERE category IN theirs
                               RETURN category ORDER BY category } AS shared
WHERE size(shared) > 0
RETURN r.referral_id AS referral_id, c.person_id AS child_id, r.received_on AS received_on,
       previous.referral_id AS previous_referral_id,
       duration.inDays(previous.received_on, r.received_on).days AS days_since_previous,
       CASE WHEN previous.received_on >= r.received_on - duration({months: $short_months})
              THEN '0-' + $short_months + 'm'
            WHEN previous.received_on >= r.received_on - duration({months: $medium_months})
              THEN $short_months + '-' + $medium_months + 'm'
            ELSE $medium_months + '-' + $months + 'm' END AS interval,
       shared AS shared_categories, previous.outcome AS previous_outcome
ORDER BY received_on, referral_id;
