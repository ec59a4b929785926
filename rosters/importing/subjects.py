"""Feeding hashed people to the rules' check functions and reading their findings back.

rules.check_entries and rules.check_winners_on_roster compare ID strings and name the person in
their findings by ``mask_id_number``. We hold keyed hashes, not ID numbers, for other projects and
the first-prize register, so each person gets a stand-in 18-digit string whose mask is unique
("000000********0042" → person 42): the rules decide, and the finding maps back to the rows.
"""

from haidian_contest.rules.people import mask_id_number


class Subjects:
    def __init__(self):
        self._index: dict[str, int] = {}
        self._hashes: list[str] = []

    def ident(self, id_hash: str) -> str:
        index = self._index.get(id_hash)
        if index is None:
            index = self._index[id_hash] = len(self._hashes)
            self._hashes.append(id_hash)
        digits = f"{index:010d}"
        return digits[:6] + "00000000" + digits[6:]

    def hash_for(self, subject: str) -> str | None:
        """The person a finding's subject (a masked stand-in) names, or None if not one of ours."""
        if len(subject) != 18 or not (subject[:6] + subject[-4:]).isdigit():
            return None
        index = int(subject[:6] + subject[-4:])
        return self._hashes[index] if index < len(self._hashes) else None

    @staticmethod
    def reword(message: str, subject: str, real_masked: str) -> str:
        """The finding's message naming the real (masked) ID instead of the stand-in."""
        return message.replace(subject, real_masked)


def masked(id_number: str) -> str:
    return mask_id_number(id_number)
