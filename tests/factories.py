"""factory_boy factories. State beyond plain records is built through services, not by saving a status."""

import factory
from django.contrib.auth.models import Group

from accounts.models import Organization, User
from accounts.roles import Role
from accounts.validators import credit_code_check_char

PASSWORD = "Test-pass-2026"


def make_credit_code(n: int) -> str:
    body = f"91110108MA{n:07d}"
    return body + credit_code_check_char(body)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试单位{n}")
    org_type = "park"
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 1000))
    contact_person = "联系人"
    contact_phone = "010-12345678"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=Role(extracted).group_name))


def user_with_role(role: Role, **kwargs) -> User:
    if role == Role.ORGANIZER and "organization" not in kwargs:
        kwargs["organization"] = OrganizationFactory()
    return UserFactory(role=role, **kwargs)
