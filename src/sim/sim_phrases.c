/* sim_phrases.c: what simulated customers write, in Russian and English, by topic (shares in DOMAIN.md). */
#include "opdesk/sim.h"

#define LIST(a) { a, sizeof a / sizeof *a }

/* ---- Russian ---- */
static const char *const ru_order[] = {
	"Здравствуйте! Где мой заказ? Обещали доставить вчера",
	"Добрый день, хочу узнать статус заказа 4817-2290",
	"Можно отменить заказ? Передумала покупать",
	"Здравствуйте, хочу поменять размер в заказе с M на L",
	"Заказ уже неделю в статусе «собирается», это нормально?",
	"Подскажите, можно изменить адрес доставки в заказе?",
	"Курьер не приехал, заказ 5120-7731. Что случилось?",
	"Добрый вечер! Хочу добавить товар в уже оформленный заказ",
	"Пришло смс, что заказ отменён, но я его не отменяла",
	"Когда привезут заказ? Номер 3902-1184",
};
static const char *const ru_order_f[] = {
	"Номер заказа 4817-2290", "Заказ оформляла на имя мужа, номер 6621-0457",
	"Да, доставка курьером", "Спасибо, жду", "А можно сегодня до 18:00?",
	"Хорошо, тогда отменяйте", "Адрес: Москва, ул. Лесная, 12, кв. 48", "А сколько это займёт?",
};
static const char *const ru_company[] = {
	"Здравствуйте, вы доставляете в Екатеринбург?", "Сколько стоит доставка до пункта выдачи?",
	"Можно оплатить картой при получении?", "До скольки работает ваш магазин в выходные?",
	"Есть ли у вас рассрочка?",
};
static const char *const ru_company_f[] = {
	"А если заказ больше 5000 рублей?", "Понятно, спасибо", "А курьер может приехать вечером?",
	"Хорошо, тогда оформлю",
};
static const char *const ru_product[] = {
	"Здравствуйте! Платье из новой коллекции маломерит?",
	"Из какого материала куртка арт. 88213?", "Будет ли поступление кроссовок 38 размера?",
	"Подскажите, этот пуховик подойдёт для −25?",
};
static const char *const ru_product_f[] = {
	"У меня рост 168, обычно ношу S", "А другого цвета нет?", "Спасибо, посмотрю",
	"А когда ждать поступление?",
};
static const char *const ru_returns[] = {
	"Хочу вернуть джинсы, не подошли. Как оформить возврат?",
	"Вернула товар две недели назад, деньги так и не пришли",
	"Пришла куртка с браком — шов разошёлся. Что делать?",
	"Можно обменять ботинки на другой размер?",
};
static const char *const ru_returns_f[] = {
	"Заказ 7304-5518, возврат через пункт выдачи", "Фото брака могу прислать",
	"Чек сохранился", "Хорошо, оформлю заявку",
};
static const char *const ru_site[] = {
	"Не могу оплатить заказ на сайте, выдаёт ошибку", "Не приходит код подтверждения по смс",
	"Корзина очищается сама, что делать?",
};
static const char *const ru_site_f[] = {
	"Браузер Chrome, на телефоне то же самое", "Попробовала ещё раз — не работает",
	"Сейчас получилось, спасибо",
};
static const char *const ru_thanks[] = {
	"Спасибо большое!", "Спасибо, всё понятно", "Благодарю за помощь!", "Отлично, спасибо 🙂",
};
/* Women write most chats to a fashion shop, and the phrases above use feminine verb forms
 * ("передумала", "вернула"), so the names are women's names. */
static const char *const ru_names[] = {
	"Анна", "Мария", "Елена", "Ольга", "Наталья", "Ирина", "Татьяна", "Светлана", "Юлия", "Екатерина",
	"Ксения", "Дарья", "Виктория", "Алина", "Полина", "Марина", "Людмила", "Галина", "Вера", "Софья",
};
static const char *const ru_low[] = {
	"Долго ждала ответа", "Вопрос так и не решён", "Ответили не по существу",
};

/* ---- English ---- */
static const char *const en_order[] = {
	"Hello! Where is my order? It was due yesterday", "Hi, what's the status of order 4817-2290?",
	"Can I cancel my order? I changed my mind", "I need to change the size in my order from M to L",
	"My order has been 'being packed' for a week, is that normal?",
	"Can I change the delivery address of my order?", "The courier never came, order 5120-7731",
};
static const char *const en_order_f[] = {
	"Order number 4817-2290", "Yes, courier delivery", "Thanks, I'll wait",
	"Could it come today before 6 pm?", "OK, please cancel it", "How long will it take?",
};
static const char *const en_company[] = {
	"Hi, do you deliver to Manchester?", "How much is delivery to a pick-up point?",
	"Can I pay by card on delivery?", "What are your opening hours at weekends?",
};
static const char *const en_company_f[] = {
	"What if the order is over 50 pounds?", "I see, thanks", "Can the courier come in the evening?",
};
static const char *const en_product[] = {
	"Hi! Does the new dress run small?", "What is jacket no. 88213 made of?",
	"Will the sneakers come back in size 5?",
};
static const char *const en_product_f[] = {
	"I'm 5'6\" and usually wear S", "Is there another colour?", "Thanks, I'll have a look",
};
static const char *const en_returns[] = {
	"I want to return jeans that don't fit. How do I do it?",
	"I returned an item two weeks ago and have no refund yet", "The jacket arrived with a broken seam",
};
static const char *const en_returns_f[] = {
	"Order 7304-5518, returned at a pick-up point", "I can send a photo of the defect", "I kept the receipt",
};
static const char *const en_site[] = {
	"I can't pay on the site, it shows an error", "The SMS code never arrives",
	"My basket keeps emptying itself",
};
static const char *const en_site_f[] = {
	"Chrome, same on my phone", "Tried again, still broken", "It worked now, thanks",
};
static const char *const en_thanks[] = { "Thank you so much!", "Thanks, that's clear", "Great, thanks 🙂" };
static const char *const en_names[] = {
	"Emma", "Olivia", "Sophie", "Grace", "Lucy", "Jack", "Oliver", "Harry", "George", "Amelia",
};
static const char *const en_low[] = { "Waited too long", "My problem isn't solved", "Unhelpful answers" };

const struct sim_phrasebook sim_phrases[SIM_LANG_COUNT] = {
	[SIM_RU] = {
		.first = { LIST(ru_order), LIST(ru_company), LIST(ru_product), LIST(ru_returns), LIST(ru_site) },
		.followup = { LIST(ru_order_f), LIST(ru_company_f), LIST(ru_product_f), LIST(ru_returns_f), LIST(ru_site_f) },
		.thanks = LIST(ru_thanks), .names = LIST(ru_names), .low_score_comments = LIST(ru_low),
	},
	[SIM_EN] = {
		.first = { LIST(en_order), LIST(en_company), LIST(en_product), LIST(en_returns), LIST(en_site) },
		.followup = { LIST(en_order_f), LIST(en_company_f), LIST(en_product_f), LIST(en_returns_f), LIST(en_site_f) },
		.thanks = LIST(en_thanks), .names = LIST(en_names), .low_score_comments = LIST(en_low),
	},
};
