import { registry } from "@web/core/registry";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

registry.category("web_tour.tours").add("lqp_checkout_qualifies_lead", {
    url: "/shop",
    steps: () => [
        ...tourUtils.searchProduct("LQP Training Voucher", { select: true }),
        {
            content: "Add the voucher to the cart",
            trigger: '#product_detail form[action^="/shop/cart/update"] #add_to_cart',
            run: "click",
        },
        tourUtils.goToCart(),
        tourUtils.goToCheckout(),
        ...tourUtils.fillAdressForm(
            {
                name: "Vera Visitor",
                phone: "+32 470 00 00 01",
                email: "vera.visitor@example.com",
                street: "1 Rue du Lac",
                city: "Namur",
                zip: "5000",
            },
            true
        ),
        // A service needs no delivery: the address leads straight to the payment.
        ...tourUtils.payWithDemo(),
        {
            // The status page moves on to the confirmation once the server has confirmed the order: a
            // server that cannot print the order's PDF would leave the visitor on the status page.
            content: "The visitor is thanked for the order",
            trigger: "h3:contains('Thank you for your order.')",
        },
        {
            content: "The order is shown confirmed",
            trigger: "h5:contains('Order S') .fa-check-circle",
        },
    ],
});
