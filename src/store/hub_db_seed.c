/* hub_db_seed.c: the seed set of canned replies (see hub_db_seed.h), following the topic mix of an online
 * shop's support: greetings and closings, order status (~60% of dialogs), delivery/payment/hours, product,
 * returns, site problems, and the stylist questionnaire. Categories are the wrap-up topic ids where one fits. */
#include "hub_db_seed.h"

#define CANNED(id, lang, shortcut, category, title, text) { id, lang, shortcut, category, title, text }

const struct hub_canned_seed hub_canned_seed[] = {
	/* Russian */
	CANNED("ru.greet", "ru", "/hi", "greeting", "Приветствие",
	       "Здравствуйте, {customer}! Меня зовут {operator}, я с радостью вам помогу."),
	CANNED("ru.greet-order", "ru", "/hio", "greeting", "Приветствие и номер заказа",
	       "Здравствуйте, {customer}! Меня зовут {operator}. Подскажите, пожалуйста, номер вашего заказа — "
	       "он есть в письме с подтверждением и в личном кабинете."),
	CANNED("ru.wait", "ru", "/wait", "greeting", "Просьба подождать",
	       "Минуточку, уточняю информацию. Пожалуйста, не закрывайте чат."),
	CANNED("ru.order-status", "ru", "/st", "order", "Заказ передан в доставку",
	       "Ваш заказ {order} собран и передан в службу доставки. Ссылку для отслеживания мы отправили "
	       "в SMS и на вашу почту."),
	CANNED("ru.order-processing", "ru", "/proc", "order", "Заказ в обработке",
	       "Ваш заказ {order} сейчас в обработке. Как только он будет собран, вы получите уведомление "
	       "в SMS."),
	CANNED("ru.order-cancel", "ru", "/cancel", "order", "Заказ отменён",
	       "Ваш заказ {order} отменён. Если вы оплатили его картой, деньги вернутся на неё в течение "
	       "3–10 рабочих дней — срок зависит от банка."),
	CANNED("ru.order-change", "ru", "/change", "order", "Изменение заказа",
	       "Изменить состав, адрес или время доставки заказа {order} можно, пока он не передан в доставку. "
	       "Напишите, что нужно поменять, и я всё сделаю."),
	CANNED("ru.order-late", "ru", "/late", "order", "Заказ задерживается",
	       "Приносим извинения: доставка заказа {order} задерживается. Я передал(а) запрос в службу "
	       "доставки, курьер свяжется с вами в течение дня."),
	CANNED("ru.delivery", "ru", "/deliv", "company", "Сроки доставки",
	       "Доставка по Москве и Санкт-Петербургу занимает 1–2 дня, в другие регионы — от 3 до 7 дней. "
	       "Курьер позвонит заранее и согласует удобный интервал."),
	CANNED("ru.pickup", "ru", "/pvz", "company", "Пункты выдачи",
	       "Заказ можно забрать в пункте выдачи: он хранится там 7 дней. Адреса пунктов есть на сайте "
	       "в разделе «Доставка»."),
	CANNED("ru.payment", "ru", "/pay", "company", "Способы оплаты",
	       "Оплатить заказ можно картой на сайте, через СБП или при получении — наличными или картой "
	       "курьеру."),
	CANNED("ru.hours", "ru", "/hours", "company", "Режим работы",
	       "Служба поддержки работает круглосуточно и без выходных: здесь, во ВКонтакте и в Telegram."),
	CANNED("ru.size", "ru", "/size", "product", "Подбор размера",
	       "Таблица размеров есть на странице товара под фотографиями. Подскажите ваши параметры — "
	       "я помогу подобрать размер."),
	CANNED("ru.stock", "ru", "/stock", "product", "Нет в наличии",
	       "Сейчас этого товара нет в наличии. Нажмите «Сообщить о поступлении» на странице товара — "
	       "мы пришлём письмо, как только он появится."),
	CANNED("ru.returns", "ru", "/ret", "returns", "Как вернуть товар",
	       "Вернуть товар надлежащего качества можно в течение 14 дней: в пункте выдачи или курьером. "
	       "Оформите возврат в личном кабинете, в разделе «Мои заказы»."),
	CANNED("ru.refund", "ru", "/refund", "returns", "Возврат денег",
	       "Деньги за возврат придут тем же способом, которым был оплачен заказ, в течение 10 рабочих "
	       "дней после того, как товар поступит на склад."),
	CANNED("ru.site", "ru", "/site", "site", "Не работает сайт",
	       "Извините за неудобство! Попробуйте обновить страницу или очистить кэш браузера. Если не "
	       "поможет — пришлите, пожалуйста, скриншот, я передам его специалистам."),
	CANNED("ru.site-order", "ru", "/siteo", "site", "Оформить заказ в чате",
	       "Пока мы разбираемся с сайтом, я могу оформить заказ прямо здесь, в чате. Пришлите, "
	       "пожалуйста, ссылки на товары и размеры."),
	CANNED("ru.stylist", "ru", "/style", "stylist", "Анкета стилиста",
	       "С удовольствием поможем подобрать образ! Заполните, пожалуйста, короткую анкету: "
	       "https://example.com/stylist — после неё с вами свяжется наш стилист."),
	CANNED("ru.anything-else", "ru", "/else", "closing", "Чем ещё помочь",
	       "Могу ли я ещё чем-нибудь вам помочь?"),
	CANNED("ru.bye", "ru", "/bye", "closing", "Прощание",
	       "Спасибо за обращение, {customer}! Если появятся вопросы — пишите, мы на связи. Хорошего дня!"),
	/* English */
	CANNED("en.greet", "en", "/hi", "greeting", "Greeting",
	       "Hello, {customer}! My name is {operator}, I'll be glad to help you."),
	CANNED("en.greet-order", "en", "/hio", "greeting", "Greeting and order number",
	       "Hello, {customer}! My name is {operator}. Could you tell me your order number, please? You can "
	       "find it in the confirmation e-mail and in your account."),
	CANNED("en.wait", "en", "/wait", "greeting", "Please wait",
	       "One moment please, I'm checking this for you. Please keep the chat open."),
	CANNED("en.order-status", "en", "/st", "order", "Order handed to the courier",
	       "Your order {order} has been packed and handed over to the delivery service. We've sent the "
	       "tracking link by text message and e-mail."),
	CANNED("en.order-processing", "en", "/proc", "order", "Order being processed",
	       "Your order {order} is being processed. You'll get a text message as soon as it's packed."),
	CANNED("en.order-cancel", "en", "/cancel", "order", "Order cancelled",
	       "Your order {order} has been cancelled. If you paid by card, the money will be back on it "
	       "within 3-10 business days, depending on your bank."),
	CANNED("en.order-change", "en", "/change", "order", "Changing an order",
	       "You can change the items, address or delivery time of order {order} until it's handed to the "
	       "courier. Tell me what to change and I'll do it."),
	CANNED("en.order-late", "en", "/late", "order", "Order delayed",
	       "We're sorry: the delivery of order {order} is delayed. I've passed your request to the "
	       "delivery service, and the courier will contact you today."),
	CANNED("en.delivery", "en", "/deliv", "company", "Delivery times",
	       "Delivery within Moscow and Saint Petersburg takes 1-2 days, to other regions 3 to 7 days. "
	       "The courier calls in advance to agree on a convenient time."),
	CANNED("en.pickup", "en", "/pvz", "company", "Pick-up points",
	       "You can collect your order at a pick-up point, where it's kept for 7 days. The addresses are "
	       "on our web site under \"Delivery\"."),
	CANNED("en.payment", "en", "/pay", "company", "Payment options",
	       "You can pay by card on the web site, with the Faster Payments System, or on delivery, in cash "
	       "or by card."),
	CANNED("en.hours", "en", "/hours", "company", "Opening hours",
	       "Our support team works around the clock, seven days a week: here, on VK and on Telegram."),
	CANNED("en.size", "en", "/size", "product", "Choosing a size",
	       "The size chart is on the product page, below the photos. Tell me your measurements and I'll "
	       "help you choose a size."),
	CANNED("en.stock", "en", "/stock", "product", "Out of stock",
	       "This item is out of stock right now. Click \"Notify me\" on the product page and we'll e-mail "
	       "you as soon as it's back."),
	CANNED("en.returns", "en", "/ret", "returns", "How to return an item",
	       "You can return an item within 14 days, at a pick-up point or via the courier. Start the return "
	       "in your account, under \"My orders\"."),
	CANNED("en.refund", "en", "/refund", "returns", "Refunds",
	       "The refund goes back the way you paid, within 10 business days after the item reaches our "
	       "warehouse."),
	CANNED("en.site", "en", "/site", "site", "Web site not working",
	       "Sorry for the trouble! Please try reloading the page or clearing your browser cache. If that "
	       "doesn't help, send me a screenshot and I'll pass it to our engineers."),
	CANNED("en.site-order", "en", "/siteo", "site", "Order in the chat",
	       "While we fix the web site, I can place the order for you right here in the chat. Please send "
	       "me the links to the items and your sizes."),
	CANNED("en.stylist", "en", "/style", "stylist", "Stylist questionnaire",
	       "We'd love to help you put together a look! Please fill in a short questionnaire: "
	       "https://example.com/stylist and our stylist will get in touch with you."),
	CANNED("en.anything-else", "en", "/else", "closing", "Anything else",
	       "Is there anything else I can help you with?"),
	CANNED("en.bye", "en", "/bye", "closing", "Goodbye",
	       "Thank you for contacting us, {customer}! If you have any more questions, just write, we're "
	       "here. Have a nice day!"),
};

const size_t hub_canned_seed_count = sizeof hub_canned_seed / sizeof hub_canned_seed[0];
