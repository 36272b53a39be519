"""labour-kg: a knowledge graph of international trade-union cooperation, built from news articles."""

__version__ = "0.1.0"
