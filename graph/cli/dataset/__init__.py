"""`integrity generate`: a synthetic, deterministic, internally consistent dataset at a scale.

Application code beside the CLI (it applies the domains, which never import it): the rules it
honours come from `domains` (key check characters, the identity-number hash, validity defaults,
repair minimums, objection due dates, share scopes); the rows go in with COPY, in chunks, in one
transaction, so a run leaves either the whole dataset or nothing.
"""

from graph.cli.dataset.run import GenerateError, Summary, generate, generate_on_session

__all__ = ["GenerateError", "Summary", "generate", "generate_on_session"]
