"""Matching engine: Chinese text analysis, tantivy index, ranking, feedback, field classifier.

Pure Python (no Django imports). The Django layer builds :class:`Document` objects from its models
and calls :class:`SearchIndex` / :class:`Ranker`; see ``bench/matching/README.md`` for figures.
"""
