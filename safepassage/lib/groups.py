"""Rows that share a key, joined into groups (union–find): the curated name tables list each
name's spellings on a row, and two rows that share a spelling are one name."""

from collections.abc import Hashable, Iterable


def groups_sharing_keys[K: Hashable](rows: Iterable[Iterable[K]]) -> dict[K, int]:
    """Each key of `rows` → the index of the row that stands for its group. Rows sharing a key,
    directly or through other rows, are one group; a row joining a group takes its root."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[K, int] = {}
    for index, keys in enumerate(rows):
        find(index)
        for key in keys:
            if key in owner:
                parent[find(index)] = find(owner[key])
            else:
                owner[key] = index
    return {key: find(index) for key, index in owner.items()}
