//! Realistic order bodies for `POST /api/v1/orders`: Thai and English customers, addresses in
//! Thailand and abroad, one to five items from a small catalogue, prices in integer minor
//! units (satang), and a mix of priorities and notes. Deterministic for a given seed.

use serde_json::{Value, json};

/// SplitMix64: tiny, fast and good enough to vary demo data (not for anything secret).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// Seeded from the clock and the process id, so two runs differ.
    pub fn from_time() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        // Only the low bits vary between runs; truncating is intended.
        #[allow(clippy::cast_possible_truncation)]
        let seed = (nanos as u64) ^ (u64::from(std::process::id()) << 32);
        Self::new(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        let n = n.max(1) as u64;
        usize::try_from(self.next_u64() % n).unwrap_or(0)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

struct Person {
    name: &'static str,
    /// The romanised part of the email address.
    handle: &'static str,
}

const THAI_PEOPLE: &[Person] = &[
    Person {
        name: "สมชาย ใจดี",
        handle: "somchai.j",
    },
    Person {
        name: "สมหญิง รักไทย",
        handle: "somying.r",
    },
    Person {
        name: "ประเสริฐ วงศ์สวัสดิ์",
        handle: "prasert.w",
    },
    Person {
        name: "วิไลวรรณ ศรีสุข",
        handle: "wilaiwan.s",
    },
    Person {
        name: "ณัฐพล แก้วมณี",
        handle: "nattapon.k",
    },
    Person {
        name: "กาญจนา บุญมา",
        handle: "kanchana.b",
    },
    Person {
        name: "ธนากร พงษ์ไพบูลย์",
        handle: "thanakorn.p",
    },
    Person {
        name: "พิมพ์ชนก ทองดี",
        handle: "pimchanok.t",
    },
    Person {
        name: "อนุชา สายสุวรรณ",
        handle: "anucha.s",
    },
    Person {
        name: "จิราพร มีสุข",
        handle: "jiraporn.m",
    },
];

const ENGLISH_PEOPLE: &[Person] = &[
    Person {
        name: "Emily Carter",
        handle: "emily.carter",
    },
    Person {
        name: "James O'Connor",
        handle: "james.oconnor",
    },
    Person {
        name: "Olivia Bennett",
        handle: "olivia.b",
    },
    Person {
        name: "Liam Walker",
        handle: "liam.walker",
    },
    Person {
        name: "Sophie Turner",
        handle: "sophie.t",
    },
    Person {
        name: "Noah Richardson",
        handle: "noah.r",
    },
    Person {
        name: "Grace Mitchell",
        handle: "grace.mitchell",
    },
    Person {
        name: "Henry Lawson",
        handle: "henry.lawson",
    },
];

const MAIL_DOMAINS: &[&str] = &["example.com", "example.co.th", "example.org", "example.net"];

struct Place {
    streets: &'static [&'static str],
    city: &'static str,
    postal_codes: &'static [&'static str],
    country: &'static str,
    phone_prefix: &'static str,
}

const THAI_PLACES: &[Place] = &[
    Place {
        streets: &[
            "ถนนสุขุมวิท",
            "ถนนสีลม",
            "ถนนพระราม 4",
            "Sukhumvit Road",
            "Rama IX Road",
        ],
        city: "Bangkok",
        postal_codes: &["10110", "10500", "10310", "10400"],
        country: "TH",
        phone_prefix: "+66 8",
    },
    Place {
        streets: &["ถนนนิมมานเหมินท์", "ถนนห้วยแก้ว", "Chang Klan Road"],
        city: "Chiang Mai",
        postal_codes: &["50200", "50300"],
        country: "TH",
        phone_prefix: "+66 9",
    },
    Place {
        streets: &["ถนนราษฎร์อุทิศ 200 ปี", "Thepkasattri Road"],
        city: "Phuket",
        postal_codes: &["83150", "83000"],
        country: "TH",
        phone_prefix: "+66 6",
    },
    Place {
        streets: &["ถนนมิตรภาพ", "Mittraphap Road"],
        city: "Khon Kaen",
        postal_codes: &["40000"],
        country: "TH",
        phone_prefix: "+66 8",
    },
];

const ABROAD_PLACES: &[Place] = &[
    Place {
        streets: &["Baker Street", "King's Road", "Victoria Street"],
        city: "London",
        postal_codes: &["NW1 6XE", "SW3 4UT", "SW1E 5ND"],
        country: "GB",
        phone_prefix: "+44 20",
    },
    Place {
        streets: &["Orchard Road", "Bukit Timah Road"],
        city: "Singapore",
        postal_codes: &["238839", "229795"],
        country: "SG",
        phone_prefix: "+65 6",
    },
    Place {
        streets: &["George Street", "Collins Street"],
        city: "Sydney",
        postal_codes: &["2000", "2010"],
        country: "AU",
        phone_prefix: "+61 2",
    },
];

struct Product {
    sku: &'static str,
    name: &'static str,
    /// Satang (1/100 THB).
    unit_price: i64,
}

const CATALOGUE: &[Product] = &[
    Product {
        sku: "TEA-THAI-250",
        name: "ชาไทย 250 g",
        unit_price: 12_900,
    },
    Product {
        sku: "COF-DOI-500",
        name: "กาแฟดอยช้าง 500 g",
        unit_price: 38_500,
    },
    Product {
        sku: "RICE-JAS-5KG",
        name: "Jasmine rice 5 kg",
        unit_price: 24_500,
    },
    Product {
        sku: "SILK-SCARF-01",
        name: "Thai silk scarf",
        unit_price: 89_000,
    },
    Product {
        sku: "MUG-CER-350",
        name: "Ceramic mug 350 ml",
        unit_price: 19_900,
    },
    Product {
        sku: "COCO-OIL-1L",
        name: "น้ำมันมะพร้าว 1 ลิตร",
        unit_price: 15_950,
    },
    Product {
        sku: "HDPH-BT-200",
        name: "Bluetooth headphones",
        unit_price: 129_000,
    },
    Product {
        sku: "USB-C-CBL-1M",
        name: "USB-C cable 1 m",
        unit_price: 9_900,
    },
    Product {
        sku: "BAG-CANVAS-M",
        name: "กระเป๋าผ้าแคนวาส",
        unit_price: 34_900,
    },
    Product {
        sku: "SOAP-LEMON-3",
        name: "Lemongrass soap, pack of 3",
        unit_price: 14_500,
    },
    Product {
        sku: "CHILI-SAUCE",
        name: "ซอสพริกศรีราชา",
        unit_price: 4_500,
    },
    Product {
        sku: "NOTEBOOK-A5",
        name: "A5 dotted notebook",
        unit_price: 11_000,
    },
];

const NOTES: &[&str] = &[
    "Please leave the parcel with the concierge.",
    "ฝากไว้ที่ป้อมยามได้เลยค่ะ",
    "Gift wrap, please.",
    "โทรก่อนส่งนะครับ",
    "Deliver after 5 pm.",
];

/// Which language the customer's name is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Thai,
    English,
}

/// Builds order bodies from a seeded generator.
#[derive(Debug, Clone)]
pub struct OrderGenerator {
    rng: Rng,
}

impl OrderGenerator {
    pub fn new(rng: Rng) -> Self {
        Self { rng }
    }

    /// The next order body, and the language of its customer's name.
    pub fn next_order(&mut self) -> (Value, Language) {
        let rng = &mut self.rng;
        let language = if rng.chance(60) {
            Language::Thai
        } else {
            Language::English
        };
        let person = match language {
            Language::Thai => rng.pick(THAI_PEOPLE),
            Language::English => rng.pick(ENGLISH_PEOPLE),
        };
        let place = if rng.chance(85) {
            rng.pick(THAI_PLACES)
        } else {
            rng.pick(ABROAD_PLACES)
        };

        let email = format!(
            "{}{}@{}",
            person.handle,
            rng.below(100),
            rng.pick(MAIL_DOMAINS)
        );
        let mut customer = json!({ "name": person.name, "email": email });
        if rng.chance(70) {
            customer["phone"] = json!(format!(
                "{} {:03} {:04}",
                place.phone_prefix,
                rng.below(1000),
                rng.below(10_000)
            ));
        }

        let mut address = json!({
            "line1": format!("{} {}", 1 + rng.below(999), rng.pick(place.streets)),
            "city": place.city,
            "postal_code": rng.pick(place.postal_codes),
            "country": place.country,
        });
        if rng.chance(30) {
            address["line2"] = json!(format!("Unit {}", 1 + rng.below(40)));
        }

        let item_count = 1 + rng.below(5);
        let first = rng.below(CATALOGUE.len());
        let items: Vec<Value> = (0..item_count)
            .map(|i| {
                // Consecutive catalogue entries: no product twice in one order.
                let product = &CATALOGUE[(first + i) % CATALOGUE.len()];
                let quantity = if rng.chance(75) { 1 } else { 2 + rng.below(4) };
                json!({
                    "sku": product.sku,
                    "name": product.name,
                    "quantity": quantity,
                    "unit_price": product.unit_price,
                })
            })
            .collect();

        let mut order = json!({
            "customer": customer,
            "shipping_address": address,
            "items": items,
            "priority": if rng.chance(20) { "high" } else { "normal" },
        });
        if rng.chance(25) {
            order["note"] = json!(rng.pick(NOTES));
        }
        (order, language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_valid(order: &Value) -> bool {
        let customer = &order["customer"];
        let address = &order["shipping_address"];
        let items = order["items"].as_array().expect("items is an array");
        let email = customer["email"].as_str().unwrap_or_default();
        let country = address["country"].as_str().unwrap_or_default();
        customer["name"].as_str().is_some_and(|n| !n.is_empty())
            && email
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
            && email.is_ascii()
            && country.len() == 2
            && country.bytes().all(|b| b.is_ascii_uppercase())
            && ["line1", "city", "postal_code"]
                .iter()
                .all(|f| address[f].as_str().is_some_and(|v| !v.is_empty()))
            && (1..=100).contains(&items.len())
            && items.iter().all(|item| {
                item["quantity"]
                    .as_i64()
                    .is_some_and(|q| (1..=10_000).contains(&q))
                    && item["unit_price"].as_i64().is_some_and(|p| p >= 0)
                    && item["sku"].as_str().is_some_and(|s| !s.is_empty())
            })
            && matches!(order["priority"].as_str(), Some("normal" | "high"))
            && customer["phone"]
                .as_str()
                .is_none_or(|p| p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)))
    }

    #[test]
    fn every_generated_order_is_a_valid_create_request() {
        let mut generator = OrderGenerator::new(Rng::new(7));
        for _ in 0..500 {
            let (order, _) = generator.next_order();
            assert!(is_valid(&order), "invalid order: {order}");
        }
    }

    #[test]
    fn thai_and_english_customers_both_appear_with_several_items_and_both_priorities() {
        let mut generator = OrderGenerator::new(Rng::new(42));
        let orders: Vec<_> = (0..200).map(|_| generator.next_order()).collect();
        let thai = orders.iter().filter(|(_, l)| *l == Language::Thai).count();
        assert!(thai > 50 && thai < 180, "{thai} Thai customers of 200");
        assert!(orders.iter().any(|(o, l)| {
            *l == Language::Thai
                && o["customer"]["name"]
                    .as_str()
                    .is_some_and(|n| !n.is_ascii())
        }));
        assert!(
            orders
                .iter()
                .any(|(o, _)| o["items"].as_array().is_some_and(|i| i.len() >= 3))
        );
        assert!(orders.iter().any(|(o, _)| o["priority"] == "high"));
        assert!(orders.iter().any(|(o, _)| o["priority"] == "normal"));
    }

    #[test]
    fn the_same_seed_gives_the_same_orders() {
        let a = OrderGenerator::new(Rng::new(1)).next_order().0;
        let b = OrderGenerator::new(Rng::new(1)).next_order().0;
        assert_eq!(a, b);
    }
}
