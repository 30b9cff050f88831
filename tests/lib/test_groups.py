from safepassage.lib.groups import groups_sharing_keys


def test_rows_that_share_no_key_stand_for_themselves():
    assert groups_sharing_keys([["a", "b"], ["c"]]) == {"a": 0, "b": 0, "c": 1}


def test_rows_sharing_a_key_are_one_group():
    groups = groups_sharing_keys([["kim"], ["gim", "kim"], ["lee"]])
    assert groups["gim"] == groups["kim"] and groups["lee"] == 2


def test_rows_are_joined_through_other_rows():
    groups = groups_sharing_keys([["a"], ["b"], ["a", "c"], ["c", "b"]])
    assert len(set(groups.values())) == 1


def test_no_rows_give_no_groups():
    assert groups_sharing_keys([]) == {}
