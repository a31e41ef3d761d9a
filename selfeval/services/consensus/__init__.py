"""Each member's own view first, then the team's consensus (issue 21).

A team chooses per assessment how it rates (a Schulleitung member decides, `phase.set_phase`):

- "shared" (the default): one shared form, as always;
- "individual": every member rates on an own sheet (`sheets`), conflict-free since each sheet has its own version;
  the shared form is closed (services.assessments refuses its saves); members see their own sheet and how many
  colleagues have finished, never another member's values;
- "consensus": opened by a Schulleitung member, or by itself when the last member finishes. The team sees the
  spread per indicator (`team_spread`, arithmetic in scoring.spread) and sets the consensus value in the shared form,
  which starts at the median: that is the assessment's rating, the only one scores, results, reports and analytics use.

The sheets are the team's working copies: members of the team read the spread, nobody reads another member's sheet,
supervision, Schulträger, advisers and admins see none of it and no export holds it. They go with the account
(DSGVO erasure, `privacy`), and with the submission if the team chose so (`cleanup`).

Modules import services.assessments, which imports only `cleanup` from here: this file imports none of them.
"""
