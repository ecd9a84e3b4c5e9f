"""The base of migsmith's pydantic models: validators and serializers built on first use.

pydantic builds a model's validator when the class is defined unless told to wait
(``defer_build``). A one-shot CLI run defines some fifty models and uses a handful, and
building them all cost more than planning itself (about 60 ms of a 0.4 s budget).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class LazyModel(BaseModel):
    model_config = ConfigDict(defer_build=True)
