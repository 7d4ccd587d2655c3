"""What a worker keeps of what the ranking index found (search/ranking_index.py, ``Found``): a
question asked again is answered from it, and it holds at most ``SEARCH_FOUND_KEPT`` values,
the least recently asked forgotten first."""

from mercuryhub.search.kept import Found
from mercuryhub.search.ranking_index import State


class Asked:
    def __init__(self):
        self.times = 0

    def __call__(self, value):
        def compute():
            self.times += 1
            return value

        return compute


def test_a_question_asked_again_is_answered_from_what_was_kept(settings):
    settings.SEARCH_FOUND_KEPT = 100
    found, asked = Found(State("generation", 1)), Asked()
    assert found.get(("count", "lamp"), asked(7)) == 7
    assert found.get(("count", "lamp"), asked(8)) == 7
    assert found.get(("count", "kiln"), asked(9)) == 9
    assert asked.times == 2


def test_at_most_so_many_values_are_kept_the_least_recently_asked_forgotten_first(settings):
    settings.SEARCH_FOUND_KEPT = 10
    found, asked = Found(State("generation", 1)), Asked()
    found.get("a", asked([(1, 0.5)] * 4))  # four entries found
    found.get("b", asked(({"facility": 3}, {"country:KEN": 2, "country:GHA": 1})))  # three
    found.get("a", asked([]))  # asked again: now the most recent
    found.get("c", asked([(2, 0.1)] * 3))  # ten values: all kept
    assert asked.times == 3
    found.get("d", asked(5))  # eleven: "b", the least recently asked, is forgotten
    found.get("a", asked([]))
    found.get("c", asked([]))
    assert asked.times == 4
    found.get("b", asked(({}, {})))
    assert asked.times == 5
    found.get("e", asked(list(range(11))))  # more than may be kept: not kept, nothing forgotten
    found.get("e", asked([]))
    found.get("a", asked([]))
    assert asked.times == 7


def test_nothing_is_kept_when_no_value_may_be(settings):
    settings.SEARCH_FOUND_KEPT = 0
    found, asked = Found(State("generation", 1)), Asked()
    found.get("a", asked(1))
    found.get("a", asked(1))
    assert asked.times == 2
