"""The workflow table (haidian_contest/workflow.py) says what the engine does: a state called final
has no way out, and every other state the projects can reach has one."""

from haidian_contest.workflow import FINAL_STATES, TRANSITIONS, State, reachable_states, transitions_from


def test_no_transition_leaves_a_final_state():
    leaving = {state: [t.name for t in transitions_from(state)] for state in FINAL_STATES}
    assert leaving == {state: [] for state in FINAL_STATES}


def test_every_reachable_state_that_is_not_final_has_a_way_out():
    stuck = {state for state in reachable_states() - FINAL_STATES if not transitions_from(state)}
    assert stuck == set()


def test_closed_is_not_final_while_the_second_tranche_can_be_reversed():
    assert State.CLOSED not in FINAL_STATES
    assert TRANSITIONS["reverse_tranche_2"].sources == {State.CLOSED}


def test_every_state_is_reachable_from_draft():
    assert reachable_states() == set(State)
