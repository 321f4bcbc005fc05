"""policy-kg: a provenance-first knowledge graph of foreign-policy debate.

Library first: everything the ``kg`` command does is a function here.

>>> import kg
>>> kg.__version__
'0.1.0'
"""

from __future__ import annotations

__version__ = "0.1.0"
