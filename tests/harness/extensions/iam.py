"""IAM fixes: CreateServiceLinkedRole for config.amazonaws.com.

moto 5.2.5 names the role ``AWSServiceRoleForconfig`` (its SERVICE_NAME_CONVERSION map has
no ``config`` entry) and answers a second create with EntityAlreadyExists.  AWS names it
``AWSServiceRoleForConfig`` and answers the second create with InvalidInput (HTTP 400)
"Service role name AWSServiceRoleForConfig has been taken in this account, please try a
different suffix."
"""

from __future__ import annotations

from moto.iam import models as iam_models
from moto.iam.exceptions import InvalidInput
from moto.iam.models import IAMBackend

_orig_create_slr = IAMBackend.create_service_linked_role
_APPLIED = False


def _role_name(service_name: str, suffix: str | None) -> str:
    service = service_name.split(".")[-3]
    prefix = service_name.split(".")[0]
    conv = iam_models.SERVICE_NAME_CONVERSION
    if service != prefix:
        prefix = "".join(x.capitalize() for x in prefix.split("-"))
        service = conv.get(service, service) + "_" + prefix
    else:
        service = conv.get(service, service)
    name = f"AWSServiceRoleFor{service}"
    return name + f"_{suffix}" if suffix else name


def create_service_linked_role(self: IAMBackend, service_name: str, description: str, suffix: str):  # type: ignore[no-untyped-def]
    name = _role_name(service_name, suffix)
    if any(role.name == name for role in list(self.roles.values())):
        raise InvalidInput(
            f"Service role name {name} has been taken in this account, please try a different suffix."
        )
    return _orig_create_slr(self, service_name, description, suffix)


def apply() -> None:
    global _APPLIED
    if _APPLIED:
        return
    iam_models.SERVICE_NAME_CONVERSION.setdefault("config", "Config")
    IAMBackend.create_service_linked_role = create_service_linked_role  # type: ignore[method-assign]
    _APPLIED = True
