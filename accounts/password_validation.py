from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda c: not c.isalnum()),
)


class CharacterClassValidator:
    """GB/T 22239 asks for complexity: at least three of upper, lower, digit, symbol."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for _, test in CLASSES if any(test(c) for c in password))
        if present < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。", code="password_too_simple"
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"
