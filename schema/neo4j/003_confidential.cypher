// A person's identity or whereabouts must not be disclosed (a parent in a refuge, an
// adopted child's birth relative): Person.confidential, true or false. Persons already
// stored were loaded before the marker existed, so none of them is marked: false. Only
// nodes without the property are touched, in batches of 10,000 (a store of millions of
// persons is not rewritten in one transaction), so a migration cut short runs again
// safely; the reads take a missing marker as false as well.

MATCH (n:Person) WHERE n.confidential IS NULL
CALL (n) { SET n.confidential = false } IN TRANSACTIONS OF 10000 ROWS;
