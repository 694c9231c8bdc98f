#include "storage/public_key.h"

#include <QByteArray>
#include <QRandomGenerator>

namespace faultline {

QString generatePublicKey()
{
    QByteArray bytes(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), 4);
    return QString::fromLatin1(bytes.toHex());
}

} // namespace faultline
