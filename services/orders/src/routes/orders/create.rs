//! `POST /v1/orders`: validate, then hand the order to the intake (`crate::intake`), which
//! writes it — its items, first history row and outbox event — in the next group-committed
//! batch, and answer from what the insert returned once that batch committed. With
//! `Idempotency-Key`, a retry with the same body gets the first response and creates nothing;
//! the same key with another body is a 422.

use axum::{
    extract::State,
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use lom_auth::{Permission, Principal};
use lom_contracts::Priority;
use lom_platform::{FieldError, Json, Problem, openapi::Problems, problem::ProblemBody};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::schemas;

use crate::{
    domain::{Currency, Email, Money, NewAddress, NewCustomer, NewItem, NewOrder, Quantity, Text},
    error::{ApiResult, idempotency_in_progress, idempotency_key_reused, order_not_found},
    intake::{Create, Created, IdempotencyKey},
    repository,
    state::AppState,
    views::OrderDetail,
};

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    #[schema(schema_with = schemas::name)]
    name: String,
    #[schema(schema_with = schemas::email)]
    email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schemas::phone)]
    phone: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    #[schema(schema_with = schemas::address_line)]
    line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schemas::second_address_line)]
    line2: Option<String>,
    #[schema(schema_with = schemas::city)]
    city: String,
    #[schema(schema_with = schemas::postal_code)]
    postal_code: String,
    /// ISO 3166-1 alpha-2, upper case (e.g. `TH`).
    #[schema(schema_with = schemas::country)]
    country: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    #[schema(schema_with = schemas::sku)]
    sku: String,
    #[schema(schema_with = schemas::name)]
    name: String,
    /// 1–10 000.
    #[schema(minimum = 1, maximum = 10_000)]
    #[serde(deserialize_with = "lom_platform::integer::whole")]
    quantity: i64,
    /// Integer minor units (e.g. 1999 = 19.99 THB), at most 100 000 000 000.
    #[schema(minimum = 0, maximum = 100_000_000_000_i64)]
    #[serde(deserialize_with = "lom_platform::integer::whole")]
    unit_price: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "customer": {"name": "สมชาย ใจดี", "email": "somchai@example.com", "phone": "+66 81 234 5678"},
    "shipping_address": {"line1": "99 Sukhumvit Road", "city": "Bangkok", "postal_code": "10110", "country": "TH"},
    "items": [{"sku": "MUG-1", "name": "Mug", "quantity": 2, "unit_price": 1999}],
    "priority": "normal"
}))]
pub struct CreateOrderRequest {
    customer: CustomerInput,
    shipping_address: AddressInput,
    /// 1–100 items.
    #[schema(min_items = 1, max_items = 100)]
    items: Vec<ItemInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    priority: Option<Priority>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schemas::note)]
    note: Option<String>,
}

/// Collects every invalid field of a request instead of stopping at the first.
#[derive(Default)]
struct Fields(Vec<FieldError>);

impl Fields {
    fn check<T>(&mut self, field: impl Into<String>, result: Result<T, String>) -> Option<T> {
        result
            .map_err(|message| self.0.push(FieldError::new(field, message)))
            .ok()
    }

    /// `Some(None)` when absent, `None` when present and invalid.
    fn check_optional<T>(
        &mut self,
        field: &str,
        value: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<Option<T>> {
        match value {
            None => Some(None),
            Some(value) => self.check(field, parse(value)).map(Some),
        }
    }
}

fn parse_order(request: &CreateOrderRequest, currency: &Currency) -> Result<NewOrder, Problem> {
    let mut fields = Fields::default();
    let customer = &request.customer;
    let name = fields.check(
        "customer.name",
        Text::line(&customer.name, schemas::NAME_MAX),
    );
    let email = fields.check("customer.email", Email::parse(&customer.email));
    let phone = fields.check_optional("customer.phone", customer.phone.as_deref(), parse_phone);
    let address = &request.shipping_address;
    let line1 = fields.check(
        "shipping_address.line1",
        Text::line(&address.line1, schemas::ADDRESS_LINE_MAX),
    );
    let line2 = fields.check_optional("shipping_address.line2", address.line2.as_deref(), |l| {
        Text::line(l, schemas::ADDRESS_LINE_MAX)
    });
    let city = fields.check(
        "shipping_address.city",
        Text::line(&address.city, schemas::CITY_MAX),
    );
    let postal_code = fields.check(
        "shipping_address.postal_code",
        Text::line(&address.postal_code, schemas::POSTAL_CODE_MAX),
    );
    let country = fields.check("shipping_address.country", parse_country(&address.country));
    let items: Vec<_> = request
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| parse_item(&mut fields, i, item))
        .collect();
    let note = fields.check_optional("note", request.note.as_deref(), |n| {
        Text::multiline(n, schemas::NOTE_MAX)
    });

    let (
        Some(name),
        Some(email),
        Some(phone),
        Some(line1),
        Some(line2),
        Some(city),
        Some(postal_code),
        Some(country),
        Some(items),
        Some(note),
    ) = (
        name,
        email,
        phone,
        line1,
        line2,
        city,
        postal_code,
        country,
        items.into_iter().collect::<Option<Vec<_>>>(),
        note,
    )
    else {
        return Err(Problem::validation(fields.0));
    };
    NewOrder::new(
        NewCustomer { name, email, phone },
        NewAddress {
            line1,
            line2,
            city,
            postal_code,
            country,
        },
        items,
        request.priority.unwrap_or_default(),
        note,
        currency.clone(),
    )
    .map_err(|message| Problem::validation(vec![FieldError::new("items", message)]))
}

fn parse_item(fields: &mut Fields, index: usize, item: &ItemInput) -> Option<NewItem> {
    let at = |name: &str| format!("items[{index}].{name}");
    let sku = fields.check(at("sku"), Text::line(&item.sku, schemas::SKU_MAX));
    let name = fields.check(at("name"), Text::line(&item.name, schemas::NAME_MAX));
    let quantity = fields.check(at("quantity"), Quantity::parse(item.quantity));
    let price = fields.check(at("unit_price"), Money::unit_price(item.unit_price));
    NewItem::new(sku?, name?, quantity?, price?)
}

fn parse_phone(phone: &str) -> Result<Text, String> {
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')');
    if phone.chars().all(allowed) && phone.chars().any(|c| c.is_ascii_digit()) {
        Text::line(phone, schemas::PHONE_MAX)
    } else {
        Err("must be a phone number of digits, spaces and + - ( )".to_owned())
    }
}

fn parse_country(country: &str) -> Result<String, String> {
    if country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(country.to_owned())
    } else {
        Err("must be an ISO 3166-1 alpha-2 code such as TH".to_owned())
    }
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .filter(|key| (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()))
        .map(|key| Some(key.to_owned()))
        .ok_or_else(|| {
            Problem::bad_request("Idempotency-Key must be 1 to 255 visible ASCII characters.")
        })
}

/// Create an order.
#[utoipa::path(
    post,
    path = "/v1/orders",
    tag = "orders",
    request_body = CreateOrderRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key of 1 to 255 visible ASCII characters: the same key and body return the first result", pattern = "^[!-~]{1,255}$")),
    responses(
        (status = 201, description = "The new order; for a retry with the same Idempotency-Key and body, the order that key created, as it is now (header `Idempotent-Replayed: true`)", body = OrderDetail),
        (status = 400, description = "Malformed JSON or Idempotency-Key", body = ProblemBody, content_type = "application/problem+json"),
        Problems<401, 403, 413, 415>,
        (status = 404, description = "A retry whose Idempotency-Key created an order that has since been deleted", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A request with the same Idempotency-Key is still running", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the Idempotency-Key was used with another body", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn create_order(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    Json(request): Json<CreateOrderRequest>,
) -> ApiResult<Response> {
    principal.require_all(Permission::OrdersCreate)?;
    let key = idempotency_key(&headers)?;
    let order = parse_order(&request, &state.settings.default_currency)?;
    let actor = principal.user_id;

    let key = key.map(|key| IdempotencyKey {
        key,
        request: serde_json::to_value(&request).unwrap_or(Value::Null),
    });
    let replay_of = key.as_ref().map(|k| (k.key.clone(), k.request.clone()));
    let created = state.intake.create(Create { order, actor, key }).await?;
    match (created, replay_of) {
        (Created::New(detail), _) => Ok((StatusCode::CREATED, Json(*detail)).into_response()),
        (Created::KeyTaken, Some((key, request))) => replay(&state, actor, &key, &request).await,
        (Created::KeyTaken, None) => Err(Problem::internal().into()),
    }
}

/// The answer to a retry: the order the key created, as it is now, or 422 if the body differs.
async fn replay(state: &AppState, actor: Uuid, key: &str, request: &Value) -> ApiResult<Response> {
    let record = repository::find_key(&state.db, actor, key, request).await?;
    let Some(record) = record else {
        return Err(idempotency_in_progress().into());
    };
    if !record.same_request {
        return Err(idempotency_key_reused().into());
    }
    let mut conn = state.db.acquire().await?;
    let order = repository::detail(&mut conn, record.order_id)
        .await?
        .ok_or_else(order_not_found)?;
    Ok((
        StatusCode::CREATED,
        [(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"))],
        Json(OrderDetail::from(order)),
    )
        .into_response())
}
