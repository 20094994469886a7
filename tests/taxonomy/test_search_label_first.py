"""Arabic skill search ranks a preferred-label match before an alternative-label match (issue 18:
«طاقة» listed "types of wind turbines", whose alternative label is «طاقة الرياح», before
"renewable energy", whose own label is «الطاقات المتجددة»)."""

import pytest

from taxonomy.selectors import skill_search

pytestmark = pytest.mark.django_db


def test_preferred_label_matches_come_before_alternative_label_matches(taxonomy):
    found = [skill.labels["en"] for skill in skill_search(query="طاقة")]

    assert "Renewable energy" in found
    assert found.index("Renewable energy") < found.index("types of wind turbines")
    # Every skill found through its own label precedes every skill found only through a synonym.
    assert found.index("solar energy") < found.index("types of wind turbines")
