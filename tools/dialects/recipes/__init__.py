"""The online recipes, one module per kind of change.

Each module holds one mixin whose ``plan_<op>`` method returns the steps of the safe plan and
whose ``simple_<op>`` returns the plain statements of the maintenance-window alternative. They
are written for a server with online DDL (PostgreSQL's rules; ``postgres/`` says what its
statements lock) and a dialect overrides only what differs (``mysql/recipes.py``).
"""

from __future__ import annotations

from migsmith.tools.dialects.recipes.add_column import AddColumnRecipe
from migsmith.tools.dialects.recipes.alter_column_type import AlterColumnTypeRecipe
from migsmith.tools.dialects.recipes.backfill import BackfillRecipe
from migsmith.tools.dialects.recipes.constraints import ConstraintRecipes
from migsmith.tools.dialects.recipes.defaults import DefaultRecipes
from migsmith.tools.dialects.recipes.dependents import DependentRecipes
from migsmith.tools.dialects.recipes.drop_column import DropColumnRecipe
from migsmith.tools.dialects.recipes.dual_column import DualColumn
from migsmith.tools.dialects.recipes.foreign_keys import ForeignKeyRecipe
from migsmith.tools.dialects.recipes.indexes import IndexRecipes
from migsmith.tools.dialects.recipes.nullability import NullabilityRecipes
from migsmith.tools.dialects.recipes.partitions import PartitionRecipes
from migsmith.tools.dialects.recipes.plain_dependents import PlainDependents
from migsmith.tools.dialects.recipes.rename_column import RenameColumnRecipe
from migsmith.tools.dialects.recipes.retype_dependents import RetypeDependents
from migsmith.tools.dialects.recipes.steps import StepBuilders
from migsmith.tools.dialects.recipes.tables import TableRecipes


class Recipes(TableRecipes, AddColumnRecipe, DropColumnRecipe, RenameColumnRecipe,
              AlterColumnTypeRecipe, NullabilityRecipes, DefaultRecipes, IndexRecipes,
              ForeignKeyRecipe, ConstraintRecipes, BackfillRecipe, DualColumn, DependentRecipes,
              RetypeDependents, PlainDependents, PartitionRecipes, StepBuilders):
    """Every recipe, for a dialect class to inherit."""
