// A texture cache from a small game engine, written in pre-C++11 style:
// raw owning pointers, manual delete, NULL, C casts and a hand-locked mutex.
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

struct Texture {
    Texture(int w, int h) : width(w), height(h), pixels(new unsigned char[w * h * 4]) {}
    ~Texture() { delete[] pixels; }

    int width;
    int height;
    unsigned char *pixels;
};

class ResourceManager {
public:
    ResourceManager() : m_fallback(NULL) {}

    ~ResourceManager() {
        for (std::map<std::string, Texture *>::iterator it = m_textures.begin(); it != m_textures.end(); ++it)
            delete it->second;
        delete m_fallback;
    }

    Texture *load(const std::string &name, int w, int h) {
        m_mutex.lock();
        Texture *&slot = m_textures[name];
        if (slot == NULL)
            slot = new Texture(w, h);
        Texture *result = slot;
        m_mutex.unlock();
        return result;
    }

    Texture *fallback() {
        if (m_fallback == NULL)
            m_fallback = new Texture(1, 1);
        return m_fallback;
    }

    void release(const std::string &name) {
        std::lock_guard<std::mutex> guard(m_mutex);
        std::map<std::string, Texture *>::iterator it = m_textures.find(name);
        if (it == m_textures.end())
            return;
        delete it->second;
        m_textures.erase(it);
    }

    // Average brightness of a texture, 0..255, for the loading-screen fade.
    int brightness(const Texture *t) const {
        long total = 0;
        const unsigned char *p = t->pixels;
        const unsigned char *end = p + t->width * t->height * 4;
        for (; p < end; p += 4)
            total += (p[0] + p[1] + p[2]) / 3;
        return (int)(total / (t->width * t->height));
    }

private:
    std::map<std::string, Texture *> m_textures;
    Texture *m_fallback;
    std::mutex m_mutex;
};

// Writes a scaled-down preview; the scratch buffer lives only for this call.
void write_preview(ResourceManager &manager, const std::string &name, std::FILE *out) {
    Texture *texture = manager.load(name, 64, 64);
    unsigned char *row = new unsigned char[texture->width];
    for (int y = 0; y < texture->height; y += 8) {
        for (int x = 0; x < texture->width; ++x)
            row[x] = texture->pixels[(y * texture->width + x) * 4];
        std::fwrite(row, 1, texture->width, out);
    }
    delete[] row;

    double ratio = (double)texture->width / texture->height;
    Texture *thumbnail = new Texture(16, (int)(16 / ratio));
    std::fprintf(out, "%dx%d\n", thumbnail->width, thumbnail->height);
    delete thumbnail;
}
