"""The product picker (``core.pickers``): active products found by code, name, model or
specification, or by the name's full pinyin or initials. It shows no price: every role may pick
a product, and warehouse, technical and purchasing staff never see prices."""

from salesops.core.pickers import Picker, register
from salesops.core.policy import AUTHENTICATED

from .selectors import product_list

register(
    Picker(
        name="product",
        roles=(AUTHENTICATED,),
        rows=lambda user: product_list(user=user).filter(is_active=True),
        search_fields=("code", "name", "model", "specification"),
        label=lambda product: f"{product.code} {product.name}",
        hint=lambda product: " ".join(part for part in (product.model, product.specification) if part),
        ordering=("code", "pk"),
    )
)
