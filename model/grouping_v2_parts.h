#pragma once
// The two ways grouping v2 (model/grouping_v2.cpp) records what it decided, part
// by part: ExplanationParts keeps every part, counted or ignored and why, for
// people; HashedParts keeps only the text the key is the SHA-1 of, so the
// collector builds no explanation on its HTTP threads. Where only the
// explanation needs a value or a reason, it is passed as a function.
#include "model/grouping_explanation.h"
#include "model/grouping_frame.h"

namespace faultline::grouping_v2 {

class ExplanationParts {
public:
    QList<GroupingPart> parts;

    bool anyCounted() const { return m_anyCounted; }

    // A part that counts, when it has a value.
    void count(GroupingPart::Kind kind, const QString &value)
    {
        if (!value.isEmpty())
            countAlways(kind, value);
    }
    void countAlways(GroupingPart::Kind kind, const QString &value) { add(kind, value, {}); }
    void countFrame(const FrameIdentity &identity)
    {
        GroupingPart &part = add(GroupingPart::Kind::Frame, identity.location, {});
        part.function = identity.function;
        part.contextLine = identity.contextLine;
    }

    // A part that does not count, when it has a value.
    template<typename Value, typename Reason> void ignore(GroupingPart::Kind kind, Value value, Reason reason)
    {
        const QString text = value();
        if (!text.isEmpty())
            add(kind, text, reason());
    }
    // A frame that does not count; frames in a row ignored for the same reason are one part.
    template<typename Reason> void ignoreFrame(Reason reason)
    {
        const QString why = reason();
        if (!parts.isEmpty() && parts.last().kind == GroupingPart::Kind::Frame && parts.last().ignored == why)
            ++parts.last().count;
        else
            add(GroupingPart::Kind::Frame, {}, why);
    }

    void append(const ExplanationParts &other)
    {
        parts += other.parts;
        m_anyCounted = m_anyCounted || other.m_anyCounted;
    }

private:
    GroupingPart &add(GroupingPart::Kind kind, const QString &value, const QString &ignored)
    {
        GroupingPart &part = parts.emplaceBack();
        part.kind = kind;
        part.value = value;
        part.ignored = ignored;
        m_anyCounted = m_anyCounted || ignored.isEmpty();
        return part;
    }

    bool m_anyCounted = false;
};

// What GroupingExplanation::hashedComponents() lists for the counted parts, each
// component after a '\n', as one text; ignored parts leave no trace.
class HashedParts {
public:
    QString text;

    bool anyCounted() const { return !text.isEmpty(); }

    void count(GroupingPart::Kind kind, const QString &value)
    {
        if (!value.isEmpty())
            countAlways(kind, value);
    }
    void countAlways(GroupingPart::Kind kind, const QString &value)
    {
        add(groupingPartKindName(kind));
        add(value);
    }
    void countFrame(const FrameIdentity &identity)
    {
        add(groupingPartKindName(GroupingPart::Kind::Frame));
        add(identity.location);
        add(identity.function);
        add(identity.contextLine);
    }

    template<typename Value, typename Reason> void ignore(GroupingPart::Kind, Value, Reason) { }
    template<typename Reason> void ignoreFrame(Reason) { }

    void append(const HashedParts &other) { text += other.text; }

private:
    void add(QStringView component)
    {
        if (text.isEmpty())
            text.reserve(256); // a usual key's text: one allocation, not one per part
        text += u'\n';
        text += component;
    }
};

} // namespace faultline::grouping_v2
