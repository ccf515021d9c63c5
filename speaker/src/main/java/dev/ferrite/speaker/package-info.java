package dev.ferrite.speaker;
