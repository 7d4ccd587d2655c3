"""Pagination of lists whose number of items is known before the page is read."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator told its number of items (counted already, or kept: counting every item of
    a long list takes longer than reading its page), so that it does not count them again."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @property
    def count(self) -> int:
        return self._count
