//! Economy: trades, market listings, currency movements, auctions, crafting and prices.

use chrono::{DateTime, Utc};
use event_core::{EventSchema, KafkaEvent};
use serde::{Deserialize, Serialize};
use uuid::{uuid, Uuid};

use crate::shared::{Currency, ItemStack, Money};
use event_core::catalog::{example_time, Example};

event_core::domain! {
    /// Economy: trades, listings, currency, auctions, prices.
    ///
    /// An event without `key = ..` is keyed by its `session_id`, else its `player_id`.
    pub struct Economy {
        name: "economy",
        topic: "game.economy.events",
        partitions: 12,
        retention_days: 30,
        priority: Normal,
        key_fields: [session_id, player_id],
        producers: ["economy-service"],
        consumers: ["analytics", "fraud-detection", "ledger"],
        dead_letter_readers: ["operations"],
    }
}

const SELLER: Uuid = uuid!("8e2a4c61-5d7b-4f90-b3c8-2e6a1d9f4b07");
const BUYER: Uuid = uuid!("3a9d6f12-7c4e-4b8a-9f1d-6e2c5b8a7d91");
const LISTING: Uuid = uuid!("e1b7c3a5-9d2f-4a6e-8c4b-7f1a3e5d9c28");
const AUCTION: Uuid = uuid!("4d8f2b6a-1e9c-4c7d-a5b3-8f2e6d1c9a74");

fn rifle_skin() -> ItemStack {
    ItemStack {
        item_sku: "skin.rifle.ak_mk2.dragon".to_owned(),
        quantity: 1,
    }
}

/// Two players completed a trade.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("economy.trade.executed", version = "1.0.0", binary)]
pub struct TradeExecuted {
    /// The trade.
    pub trade_id: Uuid,
    /// Who gave the items.
    pub seller_id: Uuid,
    /// Who received them.
    pub buyer_id: Uuid,
    /// Items that changed hands.
    #[event(min_items = 1, max_items = 32)]
    pub items: Vec<ItemStack>,
    /// What the buyer paid.
    pub price: Money,
    /// Marketplace fee withheld from the seller.
    pub fee: Money,
}

impl Example for TradeExecuted {
    fn example() -> Self {
        TradeExecuted {
            trade_id: uuid!("b6c2e8f4-3a1d-4e7b-9c5a-2d8f6b4e1a93"),
            seller_id: SELLER,
            buyer_id: BUYER,
            items: vec![rifle_skin()],
            price: Money {
                currency: Currency::Gold,
                amount: 125_000,
            },
            fee: Money {
                currency: Currency::Gold,
                amount: 6_250,
            },
        }
    }
}

/// A player listed items on the market.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("economy.listing.created", version = "1.0.0", binary)]
pub struct ListingCreated {
    /// The new listing.
    pub listing_id: Uuid,
    /// Who listed.
    pub seller_id: Uuid,
    /// What is for sale.
    pub item: ItemStack,
    /// Asking price.
    pub price: Money,
    /// When the listing expires.
    pub expires_at: DateTime<Utc>,
}

impl Example for ListingCreated {
    fn example() -> Self {
        ListingCreated {
            listing_id: LISTING,
            seller_id: SELLER,
            item: rifle_skin(),
            price: Money {
                currency: Currency::Gold,
                amount: 130_000,
            },
            expires_at: example_time(72 * 3600),
        }
    }
}

/// Why a listing was withdrawn.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum ListingCancelReason {
    /// The seller withdrew it.
    SellerWithdrew,
    /// It expired unsold.
    Expired,
    /// A moderator removed it.
    Moderated,
}

/// A market listing was cancelled.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("economy.listing.cancelled", version = "1.0.0", binary)]
pub struct ListingCancelled {
    /// The listing.
    pub listing_id: Uuid,
    /// Who had listed it.
    pub seller_id: Uuid,
    /// Why.
    pub reason: ListingCancelReason,
}

impl Example for ListingCancelled {
    fn example() -> Self {
        ListingCancelled {
            listing_id: LISTING,
            seller_id: SELLER,
            reason: ListingCancelReason::SellerWithdrew,
        }
    }
}

/// Direction of a currency movement.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum TransactionDirection {
    /// Money added to the balance.
    Credit,
    /// Money taken from the balance.
    Debit,
}

/// A player's currency balance changed.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("economy.currency.transacted", version = "1.0.0", binary)]
pub struct CurrencyTransacted {
    /// The transaction, unique per movement (idempotency key of the ledger).
    pub transaction_id: Uuid,
    /// Whose balance changed.
    pub player_id: Uuid,
    /// Credit or debit.
    pub direction: TransactionDirection,
    /// The currency.
    pub currency: Currency,
    /// Amount moved, in the currency's smallest unit.
    #[event(minimum = 1, maximum = 1000000000000u64)]
    pub amount: u64,
    /// Balance after the movement.
    #[event(maximum = 1000000000000000u64)]
    pub balance_after: u64,
    /// Ledger reason code, e.g. `match_reward`, `store_purchase`.
    #[event(min_length = 1, max_length = 64, pattern = "^[a-z][a-z0-9_]*$")]
    pub reason: String,
}

impl Example for CurrencyTransacted {
    fn example() -> Self {
        CurrencyTransacted {
            transaction_id: uuid!("f3a1d7c9-2b5e-4f8a-b6d4-9c1e3a7f5b20"),
            player_id: BUYER,
            direction: TransactionDirection::Debit,
            currency: Currency::Gold,
            amount: 125_000,
            balance_after: 48_310,
            reason: "market_purchase".to_owned(),
        }
    }
}

/// A bid was placed in an auction.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("economy.auction.bid_placed", version = "1.0.0", binary)]
pub struct AuctionBidPlaced {
    /// The auction.
    pub auction_id: Uuid,
    /// Who bid.
    pub bidder_id: Uuid,
    /// The bid.
    pub bid: Money,
    /// The highest bid before this one, if any.
    pub previous_high: Option<Money>,
}

impl Example for AuctionBidPlaced {
    fn example() -> Self {
        AuctionBidPlaced {
            auction_id: AUCTION,
            bidder_id: BUYER,
            bid: Money {
                currency: Currency::Gems,
                amount: 520,
            },
            previous_high: Some(Money {
                currency: Currency::Gems,
                amount: 480,
            }),
        }
    }
}

/// An auction closed.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("economy.auction.closed", version = "1.0.0", binary)]
pub struct AuctionClosed {
    /// The auction.
    pub auction_id: Uuid,
    /// What was auctioned.
    pub item: ItemStack,
    /// The winner, if there was a bid.
    pub winner_id: Option<Uuid>,
    /// The winning bid, if any.
    pub final_price: Option<Money>,
    /// Bids received.
    pub bid_count: u32,
}

impl Example for AuctionClosed {
    fn example() -> Self {
        AuctionClosed {
            auction_id: AUCTION,
            item: ItemStack {
                item_sku: "mount.griffin.gold".to_owned(),
                quantity: 1,
            },
            winner_id: Some(BUYER),
            final_price: Some(Money {
                currency: Currency::Gems,
                amount: 520,
            }),
            bid_count: 17,
        }
    }
}

/// The market recomputed an item's price.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("economy.market.price_updated", version = "1.0.0", binary)]
pub struct MarketPriceUpdated {
    /// Catalog identifier of the item.
    #[event(min_length = 3, max_length = 64, pattern = "^[a-z0-9_.]+$")]
    pub item_sku: String,
    /// Currency of the price.
    pub currency: Currency,
    /// Reference price (median of recent trades).
    pub price: u64,
    /// Units traded in the last 24 hours.
    pub volume_24h: u64,
    /// Change against 24 hours ago, percent.
    #[event(minimum = -100.0, maximum = 10000.0)]
    pub change_percent: f32,
}

impl Example for MarketPriceUpdated {
    fn example() -> Self {
        MarketPriceUpdated {
            item_sku: "skin.rifle.ak_mk2.dragon".to_owned(),
            currency: Currency::Gold,
            price: 127_500,
            volume_24h: 342,
            change_percent: -3.5,
        }
    }
}

/// A player crafted an item from materials.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("economy.item.crafted", version = "1.0.0", binary)]
pub struct ItemCrafted {
    /// Who crafted.
    pub player_id: Uuid,
    /// The recipe used.
    #[event(min_length = 1, max_length = 64)]
    pub recipe_id: String,
    /// Materials consumed.
    #[event(min_items = 1, max_items = 16)]
    pub inputs: Vec<ItemStack>,
    /// What was made.
    pub output: ItemStack,
}

impl Example for ItemCrafted {
    fn example() -> Self {
        ItemCrafted {
            player_id: SELLER,
            recipe_id: "recipe.armor.kevlar_vest".to_owned(),
            inputs: vec![
                ItemStack {
                    item_sku: "material.kevlar_sheet".to_owned(),
                    quantity: 4,
                },
                ItemStack {
                    item_sku: "material.steel_plate".to_owned(),
                    quantity: 2,
                },
            ],
            output: ItemStack {
                item_sku: "armor.vest.kevlar".to_owned(),
                quantity: 1,
            },
        }
    }
}
