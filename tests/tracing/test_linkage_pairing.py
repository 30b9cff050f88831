"""What a link keeps of its scored pairs: each record at most once, and, without a threshold,
the cut where the model's own probabilities expect the best F1 (linkage/pairing.py)."""

from safepassage.tracing.linkage.pairing import expected_f1_cut, one_to_one


def test_a_link_pairs_each_record_at_most_once():
    pairs = [("L1", "R1", 0.97), ("L1", "R2", 0.95), ("L2", "R1", 0.6), ("L3", "R3", 0.4)]
    kept = one_to_one(pairs)
    lefts, rights = [a for a, _, _ in kept], [b for _, b, _ in kept]
    assert len(lefts) == len(set(lefts)) and len(rights) == len(set(rights))


def test_the_assignment_keeps_the_likeliest_set_of_pairs_not_the_likeliest_pair_first():
    # Greedy best-first would keep L1–R1 (0.9) and leave L2 and R2 alone (0.9 in all); giving
    # L1 its second choice frees R1 for L2, whose only partner it is (1.6 expected true pairs).
    pairs = [("L1", "R1", 0.9), ("L1", "R2", 0.8), ("L2", "R1", 0.8)]
    assert sorted(one_to_one(pairs)) == [("L1", "R2", 0.8), ("L2", "R1", 0.8)]


def test_a_record_without_a_rival_keeps_its_pair_however_unlikely():
    assert one_to_one([("L1", "R1", 0.02)]) == [("L1", "R1", 0.02)]


def test_nothing_to_assign_assigns_nothing():
    assert one_to_one([]) == []


def test_the_default_cut_is_chosen_from_the_posterior():
    # Nine near-certain pairs and a tail of doubtful ones: the cut falls inside the tail, where
    # a pair's probability drops below about half the F1 expected, not at a fixed 0.9.
    probabilities = [0.99] * 9 + [0.8, 0.6, 0.5, 0.3, 0.1]
    cut, expected = expected_f1_cut(probabilities)
    assert cut == 0.5
    assert 0.9 < expected < 1


def test_the_cut_rises_when_the_doubtful_pairs_are_unlikelier():
    likely, _ = expected_f1_cut([0.99] * 9 + [0.6, 0.5])
    unlikely, _ = expected_f1_cut([0.99] * 9 + [0.2, 0.1])
    assert likely == 0.5 and unlikely == 0.99


def test_no_pairs_give_no_cut():
    assert expected_f1_cut([]) == (1.0, 0.0)
